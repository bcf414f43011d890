/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathLocksTest
{
    private final PathLocks locks = new PathLocks();

    @Test
    void tasksWithDisjointClaimsRunTogether()
    {
        assertAll(
            () -> assertTrue(locks.tryAcquire("docs", PathClaim.of("docs/**")).admitted()),
            () -> assertTrue(locks.tryAcquire("code", PathClaim.of("src/**")).admitted()),
            () -> assertEquals(List.of("docs", "code"), List.copyOf(locks.held().keySet())));
    }

    @Test
    void aTaskWhoseClaimOverlapsARunningTasksClaimWaitsUntilItIsReleased()
    {
        locks.tryAcquire("code", PathClaim.of("src/**"));

        final PathLocks.Admission waiting = locks.tryAcquire("tests", PathClaim.of("src/test/FooTest.java"));

        assertAll(
            () -> assertEquals(new PathLocks.Blocked("tests", "code", "src/test/FooTest.java", "src/**"), waiting),
            () -> assertTrue(((PathLocks.Blocked)waiting).reason().contains("waits for task code")),
            () -> assertFalse(locks.held().containsKey("tests")),
            () -> assertTrue(locks.release("code")),
            () -> assertTrue(locks.tryAcquire("tests", PathClaim.of("src/test/FooTest.java")).admitted()));
    }

    @Test
    void aTaskClaimingEverythingRunsAlone()
    {
        locks.tryAcquire("docs", PathClaim.of("docs/**"));

        assertAll(
            () -> assertFalse(locks.tryAcquire("undeclared", PathClaim.everything()).admitted()),
            () -> assertTrue(locks.release("docs")),
            () -> assertTrue(locks.tryAcquire("undeclared", PathClaim.everything()).admitted()),
            () -> assertFalse(locks.tryAcquire("docs", PathClaim.of("docs/**")).admitted()));
    }

    @Test
    void aTaskHoldsOneClaimAtATime()
    {
        locks.tryAcquire("code", PathClaim.of("src/**"));

        assertThrows(IllegalStateException.class, () -> locks.tryAcquire("code", PathClaim.of("lib/**")));
    }

    @Test
    void releasingATaskThatHoldsNothingSaysSo()
    {
        assertFalse(locks.release("never-ran"));
    }

    @Test
    void aDirectoryOutsideGitIsIsolatedByPathLocks(@TempDir final Path plain) throws IOException
    {
        Files.writeString(plain.resolve("shared.txt"), "x\n");
        assertFalse(TaskWorktrees.isInsideGitWorkTree(plain), "no git: tasks share the directory");

        assertAll(
            () -> assertTrue(locks.tryAcquire("edit-shared", PathClaim.of("shared.txt")).admitted()),
            () -> assertTrue(locks.tryAcquire("add-new", PathClaim.of("new/**")).admitted()),
            () -> assertFalse(locks.tryAcquire("also-shared", PathClaim.of("*.txt")).admitted(),
                "two tasks that would touch shared.txt do not run at once"));
    }
}
