/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The hardware floor the harness compares every transport with: {@link
 * dev.switchboard.bench.harness.floor.CacheLineFloor} builds {@code native/floor/cacheline_pingpong.c} with gcc
 * and runs it, two processes moving one 64-byte cache line between two CPUs (ping-pong round trips, and one-way
 * messages at a fixed rate), and turns its raw samples into HdrHistogram logs and
 * {@link dev.switchboard.bench.harness.model.LatencyResult}s. Owns the C program's command line and output format
 * on the Java side; knows nothing of the cases, the run order or the report.
 */
package dev.switchboard.bench.harness.floor;
