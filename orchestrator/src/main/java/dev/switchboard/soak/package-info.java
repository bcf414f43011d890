/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The soak test ({@code ./switchboard soak}): a router, sender processes on every tier, work-queue consumers, a
 * seeded schedule of kill -9 and restarts, and an account of what was sent, delivered, lost, duplicated and
 * reordered per tier. {@link dev.switchboard.soak.SoakMain} runs it; {@link dev.switchboard.soak.SoakLedger} keeps
 * the account and judges the guarantees.
 */
package dev.switchboard.soak;
