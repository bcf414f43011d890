/*
 * Copyright 2025 Switchboard contributors.
 */
/**
 * How Switchboard creates and reuses files: {@link dev.switchboard.ipc.files.OwnedFiles} (owner-only or a
 * configured group, no symbolic links followed, no foreign file reused, every path inside its root) and
 * {@link dev.switchboard.ipc.files.FileRefusal} (why a file was refused, each counted). Used by the CRITICAL
 * inboxes ({@code ipc.shm}), the LOW queues ({@code ipc.durable}) and the router's runtime dir. Pure Java
 * ({@code java.nio.file}): no native calls.
 */
package dev.switchboard.ipc.files;
