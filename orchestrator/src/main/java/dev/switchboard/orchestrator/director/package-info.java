/*
 * Copyright 2025 Switchboard contributors.
 */
/**
 * The Director as a party on the bus: an agent registered under a name ({@code Director} by default) that the
 * orchestrator reports to, escalates to and takes guidance from, in JSON messages tagged {@code type}
 * ({@link dev.switchboard.orchestrator.director.DirectorMessage}, written and read by
 * {@link dev.switchboard.orchestrator.director.DirectorCodec}).
 * <ul>
 *   <li>{@code report}: published by the orchestrator on topic {@value
 *       dev.switchboard.orchestrator.director.BusDirector#REPORT_TOPIC} at the chosen
 *       {@link dev.switchboard.orchestrator.director.ReportFrequency};</li>
 *   <li>{@code escalation} → {@code decision}: a request and its response, asked by
 *       {@link dev.switchboard.orchestrator.director.BusDirector} without blocking the run loop, answered by the
 *       configured default when the Director is absent or too slow;</li>
 *   <li>{@code guidance}: sent by the Director to the orchestrator at any time, applied by the engine as a
 *       journaled {@code DirectorGuidance};</li>
 *   <li>{@code request}: sent by the orchestrator to the Director (RESOURCES, REPLAN, GATE_EXEMPTION, EMERGENCY);</li>
 *   <li>{@code plan-request} → {@code plan}: an orchestrator asking the Director for a phase's plan.</li>
 * </ul>
 */
package dev.switchboard.orchestrator.director;
