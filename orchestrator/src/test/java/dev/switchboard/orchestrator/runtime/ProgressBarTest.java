/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import dev.switchboard.orchestrator.engine.GateState;
import dev.switchboard.orchestrator.engine.Progress;
import dev.switchboard.orchestrator.engine.WorkflowStatus;
import org.junit.jupiter.api.Test;

class ProgressBarTest
{
    private static Progress progress(final double percent, final WorkflowStatus status)
    {
        final Map<String, GateState> gates = new LinkedHashMap<>();
        gates.put("design", GateState.PASSED);
        gates.put("implementation", GateState.PENDING);
        gates.put("testing", GateState.PENDING);
        return new Progress("feature", status, "implementation", percent, 2, 4, 0.0, OptionalLong.empty(),
            List.of(), List.of(), gates, Map.of());
    }

    @Test
    void rendersBarPercentAndPhaseStates()
    {
        assertEquals("[##########..........]  50% design ✓ implementation ▶ testing · (2/4 tasks)",
            ProgressBar.render(progress(50, WorkflowStatus.RUNNING)));
    }

    @Test
    void printsALinePerChangeAndSkipsRepeats()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        bar.accept(progress(50, WorkflowStatus.RUNNING));
        bar.accept(progress(50, WorkflowStatus.RUNNING));
        bar.accept(progress(100, WorkflowStatus.COMPLETED));

        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size());
        assertEquals("[####################] 100% design ✓ implementation ▶ testing · (2/4 tasks) COMPLETED",
            lines.get(1));
    }
}
