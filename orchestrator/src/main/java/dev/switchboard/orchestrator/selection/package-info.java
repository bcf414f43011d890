/*
 * Copyright 2025 Switchboard contributors.
 */
/**
 * Agent selection: which registered agent should run which task.
 *
 * <p>This package owns
 * <ul>
 *   <li>the inputs: {@link dev.switchboard.orchestrator.selection.Candidate} (an agent as the selector sees
 *       it: capabilities, load, capacity, track record) and
 *       {@link dev.switchboard.orchestrator.selection.TaskDemand} (what a task needs and how much it
 *       matters);</li>
 *   <li>the scoring of one task on one agent ({@link dev.switchboard.orchestrator.selection.AgentScorer},
 *       weighted by {@link dev.switchboard.orchestrator.selection.ScoringWeights});</li>
 *   <li>the solvers: {@link dev.switchboard.orchestrator.selection.HungarianAssignment} (exact) and
 *       {@link dev.switchboard.orchestrator.selection.GreedyAssignment} (large inputs), chosen by
 *       {@link dev.switchboard.orchestrator.selection.AgentSelector}, which yields an
 *       {@link dev.switchboard.orchestrator.selection.Assignment};</li>
 *   <li>{@link dev.switchboard.orchestrator.selection.ParallelTracks}: which tasks form independent tracks
 *       that may run side by side.</li>
 * </ul>
 *
 * <p>Everything here is a pure function of its arguments: no registry look-ups, no clocks, no threads.
 * The same inputs always give the same assignment, so decisions can be replayed from a workflow history.
 */
package dev.switchboard.orchestrator.selection;
