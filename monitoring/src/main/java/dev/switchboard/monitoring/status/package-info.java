/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The live status page's data: {@link dev.switchboard.monitoring.status.StatusReport} (one snapshot, with rates),
 * {@link dev.switchboard.monitoring.status.StatusSampler} (one a second, for {@code /events}) and
 * {@link dev.switchboard.monitoring.status.Json}. The page itself is plain HTML, JavaScript and CSS in this jar's
 * resources ({@code dev/switchboard/monitoring/page/}).
 */
package dev.switchboard.monitoring.status;
