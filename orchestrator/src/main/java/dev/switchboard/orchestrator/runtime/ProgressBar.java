/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Consumer;

import dev.switchboard.orchestrator.engine.GateState;
import dev.switchboard.orchestrator.engine.Progress;
import dev.switchboard.orchestrator.engine.WorkflowStatus;

/**
 * A text progress bar for a workflow: {@code [#####.....]  50% design ✓ implementation ▶ testing · (4/8 tasks)}.
 * A phase is ✓ when its gates passed, ✗ when they failed, ▶ when it is the current phase, · otherwise. Prints one
 * line per change (an update that renders like the previous one is not printed); on a console it rewrites the line
 * with {@code \r} instead.
 *
 * <p>Not thread-safe: feed it from one thread (the runtime's listener is). Allocates a line per update.
 */
public final class ProgressBar implements Consumer<Progress>
{
    /** Width of the bar, in cells. */
    public static final int WIDTH = 20;

    private final PrintWriter out;
    private final boolean rewrite;
    private String last = "";

    /**
     * @param out     where lines go.
     * @param rewrite rewrite one line with {@code \r} (for a console) instead of printing a line per update.
     */
    public ProgressBar(final PrintStream out, final boolean rewrite)
    {
        this(new PrintWriter(out, true, out.charset()), rewrite);
    }

    /**
     * @param out     where lines go.
     * @param rewrite rewrite one line with {@code \r} (for a console) instead of printing a line per update.
     */
    public ProgressBar(final PrintWriter out, final boolean rewrite)
    {
        this.out = out;
        this.rewrite = rewrite;
    }

    /**
     * @param progress a workflow's progress.
     * @return its bar, one line, no line terminator.
     */
    public static String render(final Progress progress)
    {
        final int percent = (int)Math.floor(Math.clamp(progress.percentComplete(), 0.0, 100.0));
        final int filled = percent * WIDTH / 100;
        final StringBuilder line = new StringBuilder(96).append('[')
            .append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
            .append(String.format("%3d%%", percent));
        for (final Map.Entry<String, GateState> phase : progress.gates().entrySet())
        {
            line.append(' ').append(phase.getKey()).append(' ').append(symbol(phase.getKey(), phase.getValue(), progress));
        }
        line.append(" (").append(progress.tasksDone()).append('/').append(progress.tasksTotal()).append(" tasks)");
        if (progress.status() == WorkflowStatus.COMPLETED || progress.status() == WorkflowStatus.FAILED)
        {
            line.append(' ').append(progress.status());
        }
        return line.toString();
    }

    private static String symbol(final String phase, final GateState state, final Progress progress)
    {
        return switch (state)
        {
            case PASSED -> "✓";
            case FAILED -> "✗";
            case MEASURING -> "⧗";
            case PENDING -> phase.equals(progress.currentPhase()) ? "▶" : "·";
        };
    }

    @Override
    public void accept(final Progress progress)
    {
        final String line = render(progress);
        if (line.equals(last))
        {
            return;
        }
        last = line;
        if (rewrite)
        {
            out.print('\r' + line);
            if (progress.status() == WorkflowStatus.COMPLETED || progress.status() == WorkflowStatus.FAILED)
            {
                out.println();
            }
        }
        else
        {
            out.println(line);
        }
        out.flush();
    }
}
