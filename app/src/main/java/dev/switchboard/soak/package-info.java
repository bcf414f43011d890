/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The soak test ({@code ./switchboard soak}): a router in a child JVM, sender processes on every tier and pattern,
 * work-queue consumers, a sink, a seeded schedule of kill -9s and restarts of the senders, the workers and the router,
 * and an account of what was sent, delivered, lost, duplicated and reordered per stream, with what each kill may cost
 * stated per path. {@link dev.switchboard.soak.SoakMain} runs it, {@link dev.switchboard.soak.SoakRouter} kills and
 * restarts the router, {@link dev.switchboard.soak.SoakLedger} keeps the account and judges the guarantees, and
 * {@link dev.switchboard.soak.SoakSender} and {@link dev.switchboard.soak.SoakWorker} are the child processes, whose
 * clients reconnect by themselves.
 */
package dev.switchboard.soak;
