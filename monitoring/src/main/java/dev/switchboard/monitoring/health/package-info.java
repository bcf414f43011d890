/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * {@code /health/ready}: {@link dev.switchboard.monitoring.health.Readiness} (the router's file fresh, the router
 * accepting, its tiers probed, no inbox stuck) and the {@link dev.switchboard.monitoring.health.StuckRecordWatch}.
 */
package dev.switchboard.monitoring.health;
