/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.files;

/**
 * Why {@link OwnedFiles} refused a file or directory; each has a process-wide counter
 * ({@link OwnedFiles#refusals(FileRefusal)}).
 *
 * <p>Thread-safety: immutable. Allocation: none.
 */
public enum FileRefusal
{
    /** The path (or a directory on it that Switchboard creates) is a symbolic link: never followed. */
    SYMLINK,
    /** An existing file or directory is not ours: another owner, another kind of file, or open to others. */
    FOREIGN,
    /** A name would have put the path outside its root (runtime, shm or data dir). */
    OUTSIDE_ROOT,
    /** The file system had no space to back the file (ENOSPC at creation). */
    NO_SPACE
}
