/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Isolated parallel work in a git repository: each task of a phase works in its own worktree, on its own branch,
 * from the phase's base commit; finished tasks are merged back into the phase's branch at the phase's end; a phase
 * can be rolled back to the commit it started from. Shells out to the {@code git} binary ({@link Git}).
 *
 * <h2>Life of a phase</h2>
 * <ol>
 *   <li>{@link #startPhase}: records the head of the repository's current branch (the <em>phase's branch</em>) as
 *       the phase's start. The tracked files must be clean: tasks branch from a commit, and rollback resets to one,
 *       so uncommitted changes would be invisible to the tasks and then lost.</li>
 *   <li>{@link #startTask}: {@code git worktree add -b switchboard/<workflow>/<task> <run>/worktrees/<task> <base>};
 *       returns the directory the task's agent works in. Starting a task again (a retry) discards the earlier
 *       attempt's worktree and branch first: each attempt starts clean.</li>
 *   <li>{@link #finishTask}: commits whatever the agent left uncommitted in its worktree (author
 *       {@value Git#IDENTITY_NAME}, message naming the task and the agent). Commits the agent made itself stay.</li>
 *   <li>{@link #discardTask}: a failed attempt's worktree and branch are removed, nothing merged.</li>
 *   <li>{@link #endPhase}: the finished tasks' branches are merged ({@code --no-ff}, one merge commit per task)
 *       into the phase's branch in task-id order, so the result does not depend on which agent finished first. A
 *       merge that conflicts is aborted (the branch stays as it was before it) and reported as a
 *       {@link MergeConflict}: a task failure of kind {@link MergeConflict#ERROR_KIND}. Worktrees are removed, and
 *       the branches of merged tasks deleted; a conflicted task's branch is kept for a person to look at until the
 *       task runs again. Tasks started after this (a conflicted task's retry, remediation) branch from the merged
 *       head, and {@code endPhase} may be called again for them.</li>
 *   <li>{@link #rollback}: {@code git reset --hard <phase start>} in the repository's work tree, the phase's open
 *       worktrees removed. Executed, and recorded as a {@link WorkspaceAction.RolledBack}.</li>
 * </ol>
 * Every step is reported to the recorder given at {@link #open} and kept in {@link #history()}, in order, so a
 * journal holds each phase's start commit and each merge and rollback. {@link #close()} removes every worktree
 * left, even after a failure. Every git failure is a {@link GitException} carrying git's error output; none is
 * swallowed. Repository hooks do not run for the orchestrator's commits and merges: the quality gates, measured on
 * the merged tree, are the checks.
 *
 * <p>Phases may overlap (a later phase's tasks may start before an earlier phase ends): each has its own base and
 * merges into whatever the branch's head is at its end.
 *
 * <p>Thread-safety: thread-safe; calls are serialised, as git's own locks in the shared repository would make
 * concurrent worktree and merge commands fail. Each call runs one or more git processes.
 */
public final class TaskWorktrees implements AutoCloseable
{
    /** Prefix of every branch the orchestrator creates. */
    public static final String BRANCH_PREFIX = "switchboard/";

    private static final String DETACHED = "HEAD";

    private final Git repository;
    private final String scopePrefix;
    private final Path worktreesDirectory;
    private final String workflowSlug;
    private final Consumer<WorkspaceAction> recorder;

    private final Map<String, Phase> phases = new LinkedHashMap<>();
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final List<WorkspaceAction> history = new ArrayList<>();
    private boolean closed;

    private enum TaskState
    {
        /** Its agent works in its worktree. */
        OPEN,
        /** Committed, waiting for the phase's end. */
        FINISHED,
        /** Its merge conflicted; its branch is kept, its worktree gone. */
        CONFLICTED,
        /** Merged, unchanged or discarded: nothing of it is left. */
        GONE
    }

    private static final class Phase
    {
        final String id;
        final String branch;
        final String startCommit;
        String taskBase;

        Phase(final String id, final String branch, final String startCommit)
        {
            this.id = id;
            this.branch = branch;
            this.startCommit = startCommit;
            this.taskBase = startCommit;
        }
    }

    private static final class Task
    {
        final String id;
        final Phase phase;
        final String branch;
        final Path worktree;
        final String base;
        TaskState state = TaskState.OPEN;
        String agentName = "";
        String commit;

        Task(final String id, final Phase phase, final String branch, final Path worktree, final String base)
        {
            this.id = id;
            this.phase = phase;
            this.branch = branch;
            this.worktree = worktree;
            this.base = base;
            this.commit = base;
        }
    }

    private TaskWorktrees(final Git repository, final String scopePrefix, final Path worktreesDirectory,
        final String workflowId, final Consumer<WorkspaceAction> recorder)
    {
        this.repository = repository;
        this.scopePrefix = scopePrefix;
        this.worktreesDirectory = worktreesDirectory;
        this.workflowSlug = slug(workflowId);
        this.recorder = recorder;
    }

    /**
     * @param directory any directory.
     * @return whether it is inside a git work tree (so {@link #open} can work there).
     */
    public static boolean isInsideGitWorkTree(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            return false;
        }
        final Git.Result result = new Git(directory).attempt("probing for a git work tree",
            "rev-parse", "--is-inside-work-tree");
        return result.succeeded() && result.stdout().strip().equals("true");
    }

    /**
     * Opens the repository around {@code scope} for one workflow run, with no recorder but {@link #history()}.
     *
     * @see #open(Path, Path, String, Consumer)
     */
    public static TaskWorktrees open(final Path scope, final Path runDirectory, final String workflowId)
    {
        return open(scope, runDirectory, workflowId, action ->
        {
        });
    }

    /**
     * Opens the repository around {@code scope} for one workflow run.
     *
     * @param scope        the directory the workflow works on: a git work tree or a directory inside one; a task's
     *                     directory is the same place in its own worktree.
     * @param runDirectory the run's own directory; worktrees go under {@code worktrees/} in it.
     * @param workflowId   names the run's branches: {@code switchboard/<workflow>/<task>}.
     * @param recorder     receives each {@link WorkspaceAction} as it is done, on the calling thread (e.g. to
     *                     journal it).
     * @return the run's worktrees, none yet.
     * @throws IllegalArgumentException when {@code scope} is not inside a git work tree.
     * @throws GitException             when git fails.
     */
    public static TaskWorktrees open(final Path scope, final Path runDirectory, final String workflowId,
        final Consumer<WorkspaceAction> recorder)
    {
        Objects.requireNonNull(runDirectory, "runDirectory");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(recorder, "recorder");
        if (!isInsideGitWorkTree(scope))
        {
            throw new IllegalArgumentException(scope + " is not inside a git work tree; without git, tasks share " +
                "the directory and take PathLocks instead");
        }
        final Git inScope = new Git(scope);
        final Path topLevel = Path.of(inScope.run("finding the repository's top level", "rev-parse",
            "--show-toplevel"));
        final String prefix = inScope.run("finding the scope inside the repository", "rev-parse", "--show-prefix");
        final Git repository = new Git(topLevel);
        // worktrees whose directories vanished (an earlier run killed) would block their branches: forget them
        repository.run("pruning stale worktrees", "worktree", "prune");
        return new TaskWorktrees(repository, prefix, runDirectory.toAbsolutePath().resolve("worktrees"),
            workflowId, recorder);
    }

    /**
     * Records the phase's start: the head of the current branch, which its tasks branch from and a rollback returns
     * to. Calling it again for a started phase changes nothing and answers the first record.
     *
     * @param phaseId the phase.
     * @return the record.
     * @throws IllegalStateException when tracked files have uncommitted changes, or the repository has no commit.
     * @throws GitException          when git fails.
     */
    public synchronized WorkspaceAction.PhaseStarted startPhase(final String phaseId)
    {
        requireOpen();
        Objects.requireNonNull(phaseId, "phaseId");
        final Phase known = phases.get(phaseId);
        if (known != null)
        {
            return new WorkspaceAction.PhaseStarted(known.id, known.branch, known.startCommit);
        }
        final Git.Result head = repository.attempt("reading the head commit", "rev-parse", "--verify", "-q",
            "HEAD^{commit}");
        if (!head.succeeded())
        {
            throw new IllegalStateException("phase " + phaseId + " cannot start in " + repository.directory() +
                ": the repository has no commit yet, and tasks branch from one");
        }
        final String dirty = repository.run("checking for uncommitted changes", "status", "--porcelain",
            "--untracked-files=no");
        if (!dirty.isEmpty())
        {
            throw new IllegalStateException("phase " + phaseId + " cannot start in " + repository.directory() +
                ": tracked files have uncommitted changes, which its tasks would not see and a rollback would " +
                "lose; commit or stash them first:\n" + dirty);
        }
        final Phase phase = new Phase(phaseId, currentBranch(), head.stdout().strip());
        phases.put(phaseId, phase);
        final WorkspaceAction.PhaseStarted started =
            new WorkspaceAction.PhaseStarted(phaseId, phase.branch, phase.startCommit);
        record(started);
        return started;
    }

    /**
     * Takes back a task an earlier run of the workflow finished (committed on its branch) but did not merge before it
     * stopped or was killed, so this run's {@link #endPhase} merges it with the phase's other tasks. The phase is
     * known from then on with its recorded start commit (a rollback returns there); its later tasks branch from the
     * current head, which holds what the earlier run merged.
     *
     * @param phaseId     the task's phase.
     * @param startCommit the commit the phase started from, as the earlier run recorded it.
     * @param taskId      the task.
     * @param agentName   the agent that did it.
     * @param commit      the task's commit, as the earlier run recorded it.
     * @return false when the task's branch is gone or no longer holds {@code commit} (nothing to take back).
     * @throws GitException when git fails otherwise.
     */
    public synchronized boolean adoptFinished(final String phaseId, final String startCommit, final String taskId,
        final String agentName, final String commit)
    {
        requireOpen();
        final String branch = branchName(taskId);
        final Git.Result head = repository.attempt("reading the branch of task " + taskId, "rev-parse", "--verify",
            "-q", branch + "^{commit}");
        if (!head.succeeded() || !head.stdout().strip().equals(commit) || tasks.containsKey(taskId))
        {
            return false;
        }
        final Phase phase = phases.computeIfAbsent(phaseId, id ->
        {
            final Phase resumed = new Phase(id, currentBranch(), startCommit);
            resumed.taskBase = repository.run("reading the head commit", "rev-parse", "HEAD");
            return resumed;
        });
        final Task task = new Task(taskId, phase, branch, worktreesDirectory.resolve(slug(taskId)), startCommit);
        task.commit = commit;
        task.agentName = agentName;
        task.state = TaskState.FINISHED;
        tasks.put(taskId, task);
        return true;
    }

    /**
     * @param phaseId a phase.
     * @return the commit the phase started from, when it was started.
     */
    public synchronized Optional<String> startCommit(final String phaseId)
    {
        final Phase phase = phases.get(phaseId);
        return phase == null ? Optional.empty() : Optional.of(phase.startCommit);
    }

    /**
     * Gives the task its own worktree and branch from the phase's base. An earlier attempt of the task (a worktree,
     * a finished or conflicted branch) is discarded first.
     *
     * @param phaseId the task's phase, started.
     * @param taskId  the task.
     * @return the directory its agent works in: the scope's place in the task's worktree.
     * @throws IllegalStateException when the phase was not started.
     * @throws GitException          when git fails, e.g. when the branch is left over from an earlier run.
     */
    public synchronized Path startTask(final String phaseId, final String taskId)
    {
        requireOpen();
        final Phase phase = phase(phaseId);
        Objects.requireNonNull(taskId, "taskId");
        final Task earlier = tasks.get(taskId);
        if (earlier != null && earlier.state != TaskState.GONE)
        {
            discard(earlier, "task " + taskId + " started again");
        }
        final String branch = branchName(taskId);
        final Path worktree = worktreesDirectory.resolve(slug(taskId));
        if (earlier == null)
        {
            // left by a run that was killed before it could clean up (a resumed workflow starts its tasks again)
            repository.attempt("removing a branch left by an earlier run", "branch", "-D", branch);
        }
        try
        {
            Files.createDirectories(worktreesDirectory);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create the worktrees directory " + worktreesDirectory + ": " +
                ex.getMessage(), ex);
        }
        repository.run("creating the worktree of task " + taskId, "worktree", "add", "-b", branch,
            worktree.toString(), phase.taskBase);
        final Task task = new Task(taskId, phase, branch, worktree, phase.taskBase);
        tasks.put(taskId, task);
        final Path directory = scopePrefix.isEmpty() ? worktree : worktree.resolve(scopePrefix);
        record(new WorkspaceAction.TaskStarted(taskId, phaseId, branch, directory));
        return directory;
    }

    /**
     * Commits what the task's agent left uncommitted in its worktree; the task then waits for its phase's end.
     *
     * @param taskId    a started task.
     * @param agentName the agent that did it, named in the commit message.
     * @return the record: the branch's head, and whether it holds any change.
     * @throws IllegalStateException when the task is not open.
     * @throws GitException          when git fails.
     */
    public synchronized WorkspaceAction.TaskCommitted finishTask(final String taskId, final String agentName)
    {
        requireOpen();
        Objects.requireNonNull(agentName, "agentName");
        final Task task = task(taskId, TaskState.OPEN);
        final Git inTask = new Git(task.worktree);
        inTask.run("staging the work of task " + taskId, "add", "--all");
        final Git.Result staged = inTask.attempt("looking for the changes of task " + taskId, "diff", "--cached",
            "--quiet");
        if (staged.exitStatus() == 1)
        {
            inTask.run("committing the work of task " + taskId, "commit", "--quiet", "--no-verify", "-m",
                "Task " + taskId + " by agent " + agentName, "-m",
                "Phase " + task.phase.id + "; committed by the Switchboard orchestrator.");
        }
        else if (!staged.succeeded())
        {
            throw inTask.failure("looking for the changes of task " + taskId, staged, "diff", "--cached", "--quiet");
        }
        task.commit = inTask.run("reading the head of task " + taskId, "rev-parse", "HEAD");
        task.agentName = agentName;
        task.state = TaskState.FINISHED;
        final WorkspaceAction.TaskCommitted committed =
            new WorkspaceAction.TaskCommitted(taskId, agentName, task.commit, !task.commit.equals(task.base));
        record(committed);
        return committed;
    }

    /**
     * Removes a task's worktree and branch without merging anything, e.g. after its attempt failed. Does nothing
     * for a task that has nothing left.
     *
     * @param taskId a started task.
     * @param reason why, recorded.
     * @throws GitException when git fails.
     */
    public synchronized void discardTask(final String taskId, final String reason)
    {
        requireOpen();
        final Task task = tasks.get(taskId);
        if (task == null)
        {
            throw new IllegalStateException("task " + taskId + " was never started here");
        }
        if (task.state != TaskState.GONE)
        {
            discard(task, reason);
        }
    }

    /**
     * Merges the phase's finished tasks into the phase's branch, in task-id order, and removes their worktrees. A
     * conflicting merge is aborted and reported, and the next task is merged as if it had not been tried. Tasks of
     * the phase still open are discarded: the phase is over for them.
     *
     * @param phaseId a started phase.
     * @return what was merged, unchanged, conflicted and discarded.
     * @throws IllegalStateException when the work tree is no longer on the phase's branch.
     * @throws GitException          when git fails other than by a conflict (the merge is aborted first).
     */
    public synchronized PhaseMerge endPhase(final String phaseId)
    {
        requireOpen();
        final Phase phase = phase(phaseId);
        requireOnBranch(phase, "merge phase " + phaseId);
        final List<Task> finished = new ArrayList<>();
        final List<String> discarded = new ArrayList<>();
        for (final Task task : List.copyOf(tasks.values()))
        {
            if (task.phase == phase && task.state == TaskState.FINISHED)
            {
                finished.add(task);
            }
            else if (task.phase == phase && task.state == TaskState.OPEN)
            {
                discard(task, "phase " + phaseId + " ended before task " + task.id + " finished");
                discarded.add(task.id);
            }
        }
        finished.sort(Comparator.comparing(task -> task.id));
        final List<WorkspaceAction.TaskMerged> merged = new ArrayList<>();
        final List<String> unchanged = new ArrayList<>();
        final List<MergeConflict> conflicts = new ArrayList<>();
        for (final Task task : finished)
        {
            removeWorktree(task);
            if (task.commit.equals(task.base))
            {
                unchanged.add(task.id);
                deleteBranch(task);
                task.state = TaskState.GONE;
                continue;
            }
            final Optional<MergeConflict> conflict = merge(task);
            if (conflict.isPresent())
            {
                conflicts.add(conflict.get());
                task.state = TaskState.CONFLICTED;
                record(new WorkspaceAction.MergeAborted(conflict.get()));
            }
            else
            {
                final String mergeCommit = repository.run("reading the merge of task " + task.id, "rev-parse", "HEAD");
                final WorkspaceAction.TaskMerged done = new WorkspaceAction.TaskMerged(task.id, task.commit,
                    mergeCommit);
                merged.add(done);
                deleteBranch(task);
                task.state = TaskState.GONE;
                record(done);
            }
        }
        phase.taskBase = repository.run("reading the phase's head", "rev-parse", "HEAD");
        return new PhaseMerge(phaseId, merged, unchanged, conflicts, discarded, phase.taskBase);
    }

    /**
     * Resets the phase's branch to the commit the phase started from ({@code git reset --hard}), discarding the
     * phase's open worktrees first; everything merged since, by this phase or a later one, is gone from the branch.
     * Untracked files of the work tree are left alone. Tasks of the phase started afterwards branch from the start
     * commit again.
     *
     * @param phaseId a started phase.
     * @return the record of the reset.
     * @throws IllegalStateException when the work tree is no longer on the phase's branch.
     * @throws GitException          when git fails.
     */
    public synchronized WorkspaceAction.RolledBack rollback(final String phaseId)
    {
        requireOpen();
        final Phase phase = phase(phaseId);
        requireOnBranch(phase, "roll back phase " + phaseId);
        final List<String> discarded = new ArrayList<>();
        for (final Task task : List.copyOf(tasks.values()))
        {
            if (task.phase == phase && (task.state == TaskState.OPEN || task.state == TaskState.FINISHED))
            {
                discard(task, "phase " + phaseId + " rolled back");
                discarded.add(task.id);
            }
        }
        final String from = repository.run("reading the head before the rollback", "rev-parse", "HEAD");
        repository.run("rolling phase " + phaseId + " back to its start", "reset", "--hard", "--quiet",
            phase.startCommit);
        phase.taskBase = phase.startCommit;
        final WorkspaceAction.RolledBack rolledBack =
            new WorkspaceAction.RolledBack(phaseId, from, phase.startCommit, discarded);
        record(rolledBack);
        return rolledBack;
    }

    /**
     * @param taskId a task finished, merged or conflicted in this run.
     * @return the files its commits changed against the base it started from, relative to the repository.
     * @throws GitException when git fails.
     */
    public synchronized List<String> changedFiles(final String taskId)
    {
        requireOpen();
        final Task task = tasks.get(taskId);
        if (task == null || task.commit == null)
        {
            throw new IllegalStateException("task " + taskId + " has no commit here");
        }
        final String names = repository.run("listing the files task " + taskId + " changed", "diff", "--name-only",
            task.base, task.commit);
        return names.isBlank() ? List.of() : List.of(names.strip().split("\n"));
    }

    /**
     * Checks the current head of the repository out, detached, in a directory of its own, e.g. for the orchestrator
     * to measure a phase's merged work without writing build output into the user's work tree.
     *
     * @param name a name for the checkout, unique among those open.
     * @return the directory: the scope's place in the checkout.
     * @throws GitException when git fails.
     */
    public synchronized Path checkoutHead(final String name)
    {
        requireOpen();
        final Path checkout = worktreesDirectory.resolveSibling("checkouts").resolve(slug(name));
        repository.attempt("removing an old checkout", "worktree", "remove", "--force", checkout.toString());
        repository.run("checking the merged head out for " + name, "worktree", "add", "--detach", "--quiet",
            checkout.toString(), "HEAD");
        return scopePrefix.isEmpty() ? checkout : checkout.resolve(scopePrefix);
    }

    /**
     * Removes a checkout {@link #checkoutHead} made.
     *
     * @param name its name.
     * @throws GitException when git fails.
     */
    public synchronized void removeCheckout(final String name)
    {
        final Path checkout = worktreesDirectory.resolveSibling("checkouts").resolve(slug(name));
        repository.run("removing the checkout for " + name, "worktree", "remove", "--force", checkout.toString());
    }

    /** @return every action done so far, in order. */
    public synchronized List<WorkspaceAction> history()
    {
        return List.copyOf(history);
    }

    /**
     * @param taskId a task.
     * @return the branch its work goes on: {@code switchboard/<workflow>/<task>}, both made safe for a ref name.
     */
    public String branchName(final String taskId)
    {
        return BRANCH_PREFIX + workflowSlug + "/" + slug(taskId);
    }

    /**
     * Removes every worktree left (open, finished or not yet merged tasks: their work is not merged) and forgets
     * them; conflicted tasks' branches stay. Every removal is tried; the first failure is thrown afterwards with the
     * others suppressed. Idempotent.
     *
     * @throws GitException when a removal failed.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (final Task task : tasks.values())
        {
            if (task.state == TaskState.OPEN || task.state == TaskState.FINISHED)
            {
                try
                {
                    removeWorktree(task);
                }
                catch (final RuntimeException ex)
                {
                    if (first == null)
                    {
                        first = ex;
                    }
                    else
                    {
                        first.addSuppressed(ex);
                    }
                }
            }
        }
        try
        {
            repository.run("pruning worktrees", "worktree", "prune");
            Files.deleteIfExists(worktreesDirectory); // only when empty: a stranger's file there stays
        }
        catch (final IOException | RuntimeException ex)
        {
            final RuntimeException failure = ex instanceof RuntimeException runtime ? runtime :
                new IllegalStateException("cannot remove " + worktreesDirectory + ": " + ex.getMessage(), ex);
            if (first == null)
            {
                first = failure;
            }
            else
            {
                first.addSuppressed(failure);
            }
        }
        if (first != null)
        {
            throw first;
        }
    }

    // ------------------------------------------------------------------------------------------------ git steps

    private Optional<MergeConflict> merge(final Task task)
    {
        final String[] merge = {"merge", "--no-ff", "--no-verify", "--quiet", "-m",
            "Merge task " + task.id + " (agent " + task.agentName + ") of phase " + task.phase.id, task.branch};
        final Git.Result result = repository.attempt("merging task " + task.id, merge);
        if (result.succeeded())
        {
            return Optional.empty();
        }
        final List<String> paths = new ArrayList<>();
        for (final String path : repository.run("listing the conflicts of task " + task.id, "diff", "--name-only",
            "--diff-filter=U", "-z").split("\0"))
        {
            if (!path.isBlank())
            {
                paths.add(path);
            }
        }
        final boolean merging = repository.attempt("looking for a merge in progress", "rev-parse", "-q",
            "--verify", "MERGE_HEAD").succeeded();
        if (merging)
        {
            repository.run("aborting the merge of task " + task.id, "merge", "--abort");
        }
        if (paths.isEmpty())
        {
            throw repository.failure("merging task " + task.id + " failed other than by a conflict", result, merge);
        }
        paths.sort(null);
        return Optional.of(new MergeConflict(task.id, task.agentName, task.branch, paths));
    }

    private void discard(final Task task, final String reason)
    {
        if (task.state == TaskState.OPEN || task.state == TaskState.FINISHED)
        {
            removeWorktree(task);
        }
        deleteBranch(task);
        task.state = TaskState.GONE;
        record(new WorkspaceAction.TaskDiscarded(task.id, reason));
    }

    private void removeWorktree(final Task task)
    {
        if (Files.exists(task.worktree))
        {
            // --force: build output and other ignored files the agent left are not work to keep
            repository.run("removing the worktree of task " + task.id, "worktree", "remove", "--force",
                task.worktree.toString());
        }
        else
        {
            repository.run("forgetting the vanished worktree of task " + task.id, "worktree", "prune");
        }
    }

    private void deleteBranch(final Task task)
    {
        repository.run("deleting the branch of task " + task.id, "branch", "--quiet", "-D", task.branch);
    }

    private String currentBranch()
    {
        final Git.Result result = repository.attempt("reading the current branch", "symbolic-ref", "-q", "--short",
            "HEAD");
        return result.succeeded() ? result.stdout().strip() : DETACHED;
    }

    private void requireOnBranch(final Phase phase, final String what)
    {
        final String branch = currentBranch();
        if (!branch.equals(phase.branch))
        {
            throw new IllegalStateException("cannot " + what + ": phase " + phase.id + " started on branch '" +
                phase.branch + "' but " + repository.directory() + " is now on '" + branch + "'");
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    private Phase phase(final String phaseId)
    {
        final Phase phase = phases.get(Objects.requireNonNull(phaseId, "phaseId"));
        if (phase == null)
        {
            throw new IllegalStateException("phase " + phaseId + " was not started; started: " + phases.keySet());
        }
        return phase;
    }

    private Task task(final String taskId, final TaskState expected)
    {
        final Task task = tasks.get(Objects.requireNonNull(taskId, "taskId"));
        if (task == null || task.state != expected)
        {
            throw new IllegalStateException("task " + taskId + " is " +
                (task == null ? "not started" : task.state) + ", not " + expected);
        }
        return task;
    }

    private void requireOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("the task worktrees of " + repository.directory() + " are closed");
        }
    }

    private void record(final WorkspaceAction action)
    {
        history.add(action);
        recorder.accept(action);
    }

    /**
     * A ref- and file-name-safe form of an id: letters, digits, '_' and '-' kept, anything else '_', and a CRC of
     * the id appended when anything was replaced, so two ids never share a slug by accident.
     */
    static String slug(final String id)
    {
        final StringBuilder safe = new StringBuilder(id.length() + 9);
        for (int i = 0; i < id.length(); i++)
        {
            final char c = id.charAt(i);
            final boolean kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || (c == '-' && i > 0);
            safe.append(kept ? c : '_');
        }
        if (!safe.toString().equals(id) || id.isEmpty())
        {
            final CRC32 crc = new CRC32();
            crc.update(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            safe.append('-').append(String.format("%08x", crc.getValue()));
        }
        return safe.toString();
    }
}
