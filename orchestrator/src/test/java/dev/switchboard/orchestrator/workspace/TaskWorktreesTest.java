/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TaskWorktrees} on real repositories made with the {@code git} binary.
 */
class TaskWorktreesTest
{
    private static final String BASE_TEXT = "one\ntwo\nthree\n";

    @TempDir
    Path temporary;

    private Path repo;
    private Path run;
    private Git git;
    private final List<WorkspaceAction> recorded = new ArrayList<>();

    @BeforeEach
    void makeRepository() throws IOException
    {
        repo = Files.createDirectories(temporary.resolve("repo"));
        run = temporary.resolve("run");
        git = new Git(repo);
        git.run("test setup", "init", "--quiet", "--initial-branch=main");
        write(repo, "shared.txt", BASE_TEXT);
        write(repo, "README.md", "# fixture\n");
        git.run("test setup", "add", "--all");
        git.run("test setup", "commit", "--quiet", "-m", "fixture");
    }

    private TaskWorktrees open()
    {
        return TaskWorktrees.open(repo, run, "wf-1", recorded::add);
    }

    @Test
    void tasksEditingDifferentFilesAreBothMergedAtPhaseEnd() throws IOException
    {
        try (TaskWorktrees worktrees = open())
        {
            final String start = worktrees.startPhase("build").commit();
            final Path a = worktrees.startTask("build", "task-a");
            final Path b = worktrees.startTask("build", "task-b");
            write(a, "a.txt", "from a\n");
            write(b, "b.txt", "from b\n");
            assertFalse(Files.exists(repo.resolve("a.txt")), "a task's work stays in its worktree until merged");
            worktrees.finishTask("task-b", "bob");
            worktrees.finishTask("task-a", "ada");

            final PhaseMerge merge = worktrees.endPhase("build");

            assertAll(
                () -> assertTrue(merge.clean()),
                () -> assertEquals(List.of("task-a", "task-b"),
                    merge.merged().stream().map(WorkspaceAction.TaskMerged::taskId).toList(), "task-id order"),
                () -> assertEquals("from a\n", read(repo, "a.txt")),
                () -> assertEquals("from b\n", read(repo, "b.txt")),
                () -> assertEquals(git.run("t", "rev-parse", "HEAD"), merge.head()),
                () -> assertTrue(git.attempt("t", "merge-base", "--is-ancestor", start, "HEAD").succeeded(),
                    "the phase's start is an ancestor of the merged head"),
                () -> assertEquals("Switchboard orchestrator",
                    git.run("t", "log", "-1", "--format=%an", merge.merged().getFirst().taskCommit())),
                () -> assertEquals("Task task-a by agent ada",
                    git.run("t", "log", "-1", "--format=%s", merge.merged().getFirst().taskCommit())));
        }
    }

    @Test
    void tasksEditingTheSameLinesMergeTheFirstAndReportTheSecondAsAMergeConflictNamingThePath() throws IOException
    {
        try (TaskWorktrees worktrees = open())
        {
            worktrees.startPhase("build");
            write(worktrees.startTask("build", "task-a"), "shared.txt", "one\nTWO by a\nthree\n");
            write(worktrees.startTask("build", "task-b"), "shared.txt", "one\ntwo by b\nthree\n");
            worktrees.finishTask("task-a", "ada");
            worktrees.finishTask("task-b", "bob");

            final PhaseMerge merge = worktrees.endPhase("build");

            final MergeConflict conflict = merge.conflicts().getFirst();
            assertAll(
                () -> assertEquals(List.of("task-a"),
                    merge.merged().stream().map(WorkspaceAction.TaskMerged::taskId).toList()),
                () -> assertEquals(1, merge.conflicts().size()),
                () -> assertEquals("task-b", conflict.taskId()),
                () -> assertEquals(List.of("shared.txt"), conflict.paths()),
                () -> assertEquals(MergeConflict.ERROR_KIND, conflict.errorKind()),
                () -> assertTrue(conflict.message().contains("shared.txt") && conflict.message().contains("bob"),
                    conflict.message()),
                () -> assertEquals("one\nTWO by a\nthree\n", read(repo, "shared.txt"), "the aborted merge left " +
                    "the first task's work"),
                () -> assertEquals("", git.run("t", "status", "--porcelain", "--untracked-files=no"),
                    "no merge left half done"),
                () -> assertTrue(git.attempt("t", "rev-parse", "--verify", "-q", conflict.branch()).succeeded(),
                    "the conflicted branch is kept to look at"),
                () -> assertInstanceOf(WorkspaceAction.MergeAborted.class, recorded.getLast()));
        }
    }

    @Test
    void aConflictedTaskStartedAgainBranchesFromTheMergedHeadAndMerges() throws IOException
    {
        try (TaskWorktrees worktrees = open())
        {
            worktrees.startPhase("build");
            write(worktrees.startTask("build", "task-a"), "shared.txt", "one\nTWO by a\nthree\n");
            write(worktrees.startTask("build", "task-b"), "shared.txt", "one\ntwo by b\nthree\n");
            worktrees.finishTask("task-a", "ada");
            worktrees.finishTask("task-b", "bob");
            worktrees.endPhase("build");

            final Path retry = worktrees.startTask("build", "task-b");
            assertEquals("one\nTWO by a\nthree\n", read(retry, "shared.txt"), "the retry sees the merged work");
            write(retry, "shared.txt", "one\nTWO by a\nthree, and b\n");
            worktrees.finishTask("task-b", "bob");
            final PhaseMerge again = worktrees.endPhase("build");

            assertAll(
                () -> assertTrue(again.clean()),
                () -> assertEquals("one\nTWO by a\nthree, and b\n", read(repo, "shared.txt")));
        }
    }

    @Test
    void rollbackResetsTheBranchToThePhaseStartCommit() throws IOException
    {
        try (TaskWorktrees worktrees = open())
        {
            final String start = worktrees.startPhase("build").commit();
            write(worktrees.startTask("build", "task-a"), "a.txt", "from a\n");
            worktrees.finishTask("task-a", "ada");
            final String merged = worktrees.endPhase("build").head();
            assertNotEquals(start, merged);

            final WorkspaceAction.RolledBack rolledBack = worktrees.rollback("build");

            assertAll(
                () -> assertEquals(start, git.run("t", "rev-parse", "HEAD")),
                () -> assertFalse(Files.exists(repo.resolve("a.txt"))),
                () -> assertEquals(new WorkspaceAction.RolledBack("build", merged, start, List.of()), rolledBack),
                () -> assertEquals(rolledBack, recorded.getLast(), "the rollback is recorded"),
                () -> assertEquals(start, worktrees.startCommit("build").orElseThrow()));
        }
    }

    @Test
    void rollbackDiscardsThePhasesOpenWorktrees() throws IOException
    {
        try (TaskWorktrees worktrees = open())
        {
            worktrees.startPhase("build");
            final Path open = worktrees.startTask("build", "task-a");
            write(open, "a.txt", "half done\n");

            final WorkspaceAction.RolledBack rolledBack = worktrees.rollback("build");

            assertAll(
                () -> assertEquals(List.of("task-a"), rolledBack.discarded()),
                () -> assertFalse(Files.exists(open)),
                () -> assertEquals(List.of(repo.toRealPath().toString()), worktreeList()));
        }
    }

    @Test
    void worktreesAndMergedBranchesAreGoneAfterThePhaseEnds() throws IOException
    {
        final Path a;
        try (TaskWorktrees worktrees = open())
        {
            worktrees.startPhase("build");
            a = worktrees.startTask("build", "task-a");
            final Path unchanged = worktrees.startTask("build", "task-b");
            write(a, "a.txt", "from a\n");
            worktrees.finishTask("task-a", "ada");
            worktrees.finishTask("task-b", "bob");

            final PhaseMerge merge = worktrees.endPhase("build");

            assertAll(
                () -> assertEquals(List.of("task-b"), merge.unchanged()),
                () -> assertFalse(Files.exists(a)),
                () -> assertFalse(Files.exists(unchanged)),
                () -> assertEquals(List.of(repo.toRealPath().toString()), worktreeList()),
                () -> assertEquals("", git.run("t", "branch", "--list", "switchboard/*")));
        }
        assertFalse(Files.exists(run.resolve("worktrees")), "close removes the worktrees directory");
    }

    @Test
    void closeRemovesTheWorktreesOfTasksThatNeverFinished() throws IOException
    {
        final Path[] a = new Path[1];
        final TaskWorktrees worktrees = open();
        try (worktrees)
        {
            worktrees.startPhase("build");
            a[0] = worktrees.startTask("build", "task-a");
            write(a[0], "a.txt", "half done\n");
            write(a[0], "ignored-by-nobody.log", "build output\n");
            throw new IllegalStateException("the run fails here");
        }
        catch (final IllegalStateException expected)
        {
            // the run failed; the worktrees must still go
        }
        assertAll(
            () -> assertFalse(Files.exists(a[0])),
            () -> assertEquals(List.of(repo.toRealPath().toString()), worktreeList()),
            () -> assertThrows(IllegalStateException.class, () -> worktrees.startPhase("later")));
    }

    @Test
    void aTaskStartedAgainDiscardsItsEarlierAttempt() throws IOException
    {
        try (TaskWorktrees worktrees = open())
        {
            worktrees.startPhase("build");
            write(worktrees.startTask("build", "task-a"), "attempt-1.txt", "failed\n");

            final Path second = worktrees.startTask("build", "task-a");

            assertAll(
                () -> assertFalse(Files.exists(second.resolve("attempt-1.txt"))),
                () -> assertEquals(2, worktreeList().size()));
        }
    }

    @Test
    void commitsTheAgentMadeItselfAreMerged() throws IOException
    {
        try (TaskWorktrees worktrees = open())
        {
            worktrees.startPhase("build");
            final Path a = worktrees.startTask("build", "task-a");
            write(a, "a.txt", "committed by the agent\n");
            final Git agent = new Git(a);
            agent.run("t", "add", "a.txt");
            agent.run("t", "commit", "--quiet", "-m", "agent's own commit");

            final WorkspaceAction.TaskCommitted committed = worktrees.finishTask("task-a", "ada");

            assertAll(
                () -> assertTrue(committed.changed()),
                () -> assertEquals("agent's own commit", agent.run("t", "log", "-1", "--format=%s")),
                () -> assertTrue(worktrees.endPhase("build").clean()),
                () -> assertEquals("committed by the agent\n", read(repo, "a.txt")));
        }
    }

    @Test
    void aScopeInsideTheRepositoryIsTheSamePlaceInEachWorktree() throws IOException
    {
        write(repo, "module/src.txt", "module\n");
        git.run("t", "add", "--all");
        git.run("t", "commit", "--quiet", "-m", "module");
        try (TaskWorktrees worktrees = TaskWorktrees.open(repo.resolve("module"), run, "wf-1"))
        {
            worktrees.startPhase("build");

            final Path directory = worktrees.startTask("build", "task-a");

            assertAll(
                () -> assertEquals("module", directory.getFileName().toString()),
                () -> assertEquals("module\n", read(directory, "src.txt")));
        }
    }

    @Test
    void aPhaseDoesNotStartOverUncommittedTrackedChanges() throws IOException
    {
        write(repo, "shared.txt", "edited, not committed\n");
        try (TaskWorktrees worktrees = open())
        {
            final IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> worktrees.startPhase("build"));
            assertTrue(refused.getMessage().contains("shared.txt"), refused.getMessage());
        }
    }

    @Test
    void aBranchLeftByAnEarlierRunIsReplacedWhenTheTaskStarts() throws Exception
    {
        try (TaskWorktrees worktrees = open())
        {
            worktrees.startPhase("build");
            git.run("t", "branch", worktrees.branchName("task-a")); // left over from a run killed mid-phase

            final Path dir = worktrees.startTask("build", "task-a");

            Files.writeString(dir.resolve("a.txt"), "a\n");
            assertTrue(worktrees.finishTask("task-a", "ada").changed());
        }
    }

    @Test
    void aGitFailureCarriesGitsOwnErrorOutput() throws Exception
    {
        try (TaskWorktrees worktrees = open())
        {
            worktrees.startPhase("build");
            // something else holds the task's worktree directory: git refuses to add the worktree there
            final Path squatter = Files.createDirectories(run.resolve("worktrees").resolve("task-a"));
            Files.writeString(squatter.resolve("squatter.txt"), "mine\n");

            final GitException failure =
                assertThrows(GitException.class, () -> worktrees.startTask("build", "task-a"));
            Files.delete(squatter.resolve("squatter.txt"));
            Files.delete(squatter);

            assertAll(
                () -> assertTrue(failure.stderr().contains("already exists"), failure.stderr()),
                () -> assertTrue(failure.getMessage().contains("task-a") &&
                    failure.getMessage().contains("already exists"), failure.getMessage()),
                () -> assertTrue(failure.exitStatus() > 0, "git exit status " + failure.exitStatus()));
        }
    }

    @Test
    void aDirectoryOutsideGitIsNotAWorkTree() throws IOException
    {
        final Path plain = Files.createDirectories(temporary.resolve("plain"));

        assertAll(
            () -> assertFalse(TaskWorktrees.isInsideGitWorkTree(plain)),
            () -> assertTrue(TaskWorktrees.isInsideGitWorkTree(repo)),
            () -> assertThrows(IllegalArgumentException.class, () -> TaskWorktrees.open(plain, run, "wf-1")));
    }

    @Test
    void idsThatAreNotRefSafeGetDistinctSafeBranchNames()
    {
        assertAll(
            () -> assertEquals("task-a", TaskWorktrees.slug("task-a")),
            () -> assertTrue(TaskWorktrees.slug("fix: the ..lock").matches("[A-Za-z0-9_-]+"),
                TaskWorktrees.slug("fix: the ..lock")),
            () -> assertNotEquals(TaskWorktrees.slug("a b"), TaskWorktrees.slug("a_b")),
            () -> assertFalse(TaskWorktrees.slug("-x").startsWith("-")));
    }

    private List<String> worktreeList()
    {
        final List<String> paths = new ArrayList<>();
        for (final String line : git.run("t", "worktree", "list", "--porcelain").split("\n"))
        {
            if (line.startsWith("worktree "))
            {
                paths.add(line.substring("worktree ".length()));
            }
        }
        return paths;
    }

    private static void write(final Path directory, final String file, final String text) throws IOException
    {
        final Path path = directory.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }

    private static String read(final Path directory, final String file) throws IOException
    {
        return Files.readString(directory.resolve(file), StandardCharsets.UTF_8);
    }
}
