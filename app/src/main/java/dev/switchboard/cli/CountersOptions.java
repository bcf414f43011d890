/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.switchboard.ipc.IpcContext;
import picocli.CommandLine.Option;

/**
 * Where {@code stat} and {@code errors} look for counters files: the shm dirs a router would use, found through
 * {@link IpcContext} as the router finds its own.
 *
 * <p>One instance per run, filled in by picocli.
 */
final class CountersOptions
{
    @Option(names = "--runtime-dir", paramLabel = "DIR",
        description = {"a router's runtime directory: look where its processes put their counters files, the shm " +
            "dir of a router started with 'router --runtime-dir DIR' (the switchboard.shm.dir property, else " +
            "/dev/shm/switchboard-$UID) and DIR/shm (coordinate --router-dir DIR, demos, tests)",
            "(default: the shm dir of the switchboard.* properties)"})
    Path runtimeDir;

    @Option(names = "--shm-dir", paramLabel = "DIR",
        description = "look in this shm dir only (its counters/ directory)")
    Path shmDir;

    /**
     * @return the shm dirs to read, without duplicates, in the order given.
     */
    List<Path> shmDirs()
    {
        if (shmDir != null)
        {
            return List.of(shmDir.toAbsolutePath().normalize());
        }
        final Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(new IpcContext().shmDir().toAbsolutePath().normalize());
        if (runtimeDir != null)
        {
            dirs.add(new IpcContext().underDirectory(runtimeDir.toAbsolutePath()).shmDir().toAbsolutePath().normalize());
        }
        return List.copyOf(dirs);
    }
}
