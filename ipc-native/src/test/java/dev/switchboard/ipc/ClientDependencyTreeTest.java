package dev.switchboard.ipc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The small client, as Maven resolves it: what an agent gets when it depends on {@code ipc-native} (the client's
 * cross-process side, which brings {@code client}). The tree is written at build time by the dependency plugin
 * ({@code target/dependency-tree.txt}, runtime scope); optional dependencies (Chronicle Queue, for LOW) do not reach
 * a user's class path and are left out with everything beneath them. Anything new in the list fails this test: a
 * library's dependencies are the user's problem, so they grow only on purpose.
 */
class ClientDependencyTreeTest
{
    /** What an agent that does not use LOW needs: the client's own jars, the codecs and Agrona. Nothing else. */
    static final Set<String> ALLOWED = Set.of("dev.switchboard:client", "dev.switchboard:codecs", "org.agrona:agrona");

    @Test
    void anAgentGetsTheClientTheCodecsAndAgronaOnly() throws IOException
    {
        final List<String> lines = Files.readAllLines(Path.of("target", "dependency-tree.txt"));
        assertTrue(lines.get(0).startsWith("dev.switchboard:ipc-native:jar:"), lines.get(0));
        final Set<String> required = new TreeSet<>();
        final Set<String> optional = new TreeSet<>();
        int skipBelow = Integer.MAX_VALUE;
        for (final String line : lines.subList(1, lines.size()))
        {
            final int start = indexOfCoordinates(line);
            final int depth = start / 3;
            if (depth > skipBelow)
            {
                continue;
            }
            skipBelow = Integer.MAX_VALUE;
            final String node = line.substring(start);
            final String[] parts = node.split(" ")[0].split(":");
            final String ga = parts[0] + ":" + parts[1];
            final String scope = parts[parts.length - 1];
            if (node.endsWith("(optional)"))
            {
                optional.add(ga);
                skipBelow = depth;
            }
            else if (!"test".equals(scope) && !"provided".equals(scope))
            {
                required.add(ga);
            }
        }
        assertEquals(new TreeSet<>(ALLOWED), required, "the client's runtime dependencies (optional ones left out)");
        assertEquals(Set.of("net.openhft:chronicle-queue"), optional, "LOW's Chronicle Queue, optional");
    }

    private static int indexOfCoordinates(final String line)
    {
        int i = 0;
        while (i < line.length() && " |+-\\".indexOf(line.charAt(i)) >= 0)
        {
            i++;
        }
        return i;
    }
}
