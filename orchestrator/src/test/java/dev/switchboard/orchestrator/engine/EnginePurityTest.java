package dev.switchboard.orchestrator.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workflow engine stays pure: a state machine over events, with no I/O, no clock of its own and no journal
 * implementation (Chronicle's lives in {@code orchestrator.journal}, the runtime does the I/O). Checked on the
 * sources' imports, so a new dependency shows up here and not as a surprise in a replay.
 */
class EnginePurityTest
{
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);

    /** What the engine may import: its own domain, Jackson's annotations and tree for event codecs, java.util/time. */
    private static final List<String> ALLOWED = List.of(
        "dev.switchboard.orchestrator.engine", "dev.switchboard.orchestrator.gates",
        "dev.switchboard.orchestrator.prompt", "dev.switchboard.orchestrator.recovery",
        "dev.switchboard.orchestrator.selection", "dev.switchboard.orchestrator.workflow",
        "com.fasterxml.jackson", "java.util", "java.time", "java.lang");

    @Test
    void theEngineImportsNoIoNoJournalAndNoTransport() throws IOException
    {
        final Path engine = Path.of("src/main/java/dev/switchboard/orchestrator/engine");
        final List<String> offending = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.list(engine))
        {
            for (final Path source : sources.filter(p -> p.toString().endsWith(".java")).toList())
            {
                files++;
                final Matcher m = IMPORT.matcher(Files.readString(source));
                while (m.find())
                {
                    final String pkg = m.group(1);
                    if (ALLOWED.stream().noneMatch(a -> pkg.equals(a) || pkg.startsWith(a + ".")))
                    {
                        offending.add(source.getFileName() + ": " + pkg);
                    }
                }
            }
        }
        assertTrue(files > 10, "found the engine's sources in " + engine.toAbsolutePath());
        assertEquals(List.of(), offending, "the engine imports only its domain, Jackson, java.util and java.time");
    }
}
