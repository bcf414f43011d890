/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The workflow engine: single-threaded and deterministic, events in, commands out.
 * <ul>
 *   <li>{@link dev.switchboard.orchestrator.engine.WorkflowEngine} runs one workflow: it takes input
 *       {@link dev.switchboard.orchestrator.engine.WorkflowEvent}s from its host, decides with the
 *       {@code workflow}, {@code selection}, {@code gates} and {@code recovery} packages, and answers with
 *       {@link dev.switchboard.orchestrator.engine.EngineCommand}s.</li>
 *   <li>Inputs and decisions alike go to an {@link dev.switchboard.orchestrator.engine.EventJournal}
 *       ({@link dev.switchboard.orchestrator.engine.InMemoryJournal}, or
 *       {@code orchestrator.journal.ChronicleJournal} on disk, one JSON text per event through
 *       {@link dev.switchboard.orchestrator.engine.EventCodec}); replaying it rebuilds the engine exactly.</li>
 *   <li>{@link dev.switchboard.orchestrator.engine.Progress} and its JSON form
 *       {@link dev.switchboard.orchestrator.engine.ProgressReport} say how far a workflow has got.</li>
 * </ul>
 * The engine never reads a clock: every event carries a logical timestamp from the caller.
 */
package dev.switchboard.orchestrator.engine;
