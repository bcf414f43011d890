/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTracksTest
{
    @Test
    void independentChainsBecomeSeparateTracks()
    {
        final List<List<String>> tracks = ParallelTracks.tracks(
            List.of("x", "a", "z", "b", "y", "c"),
            Map.of("b", Set.of("a"), "c", Set.of("b"), "y", Set.of("x")));

        assertEquals(List.of(List.of("x", "y"), List.of("a", "b", "c"), List.of("z")), tracks);
    }

    @Test
    void trackIsInTopologicalOrderWhateverTheInputOrder()
    {
        final List<List<String>> tracks = ParallelTracks.tracks(
            List.of("deploy", "test", "build"),
            Map.of("deploy", Set.of("test"), "test", Set.of("build")));

        assertEquals(List.of(List.of("build", "test", "deploy")), tracks);
    }

    @Test
    void sharedAncestorJoinsBranchesIntoOneTrack()
    {
        final List<List<String>> tracks = ParallelTracks.tracks(
            List.of("root", "left", "right", "join"),
            Map.of("left", Set.of("root"), "right", Set.of("root"), "join", Set.of("left", "right")));

        assertEquals(List.of(List.of("root", "left", "right", "join")), tracks);
    }

    @Test
    void dependenciesOutsideTheGivenTasksAreIgnored()
    {
        final List<List<String>> tracks = ParallelTracks.tracks(
            List.of("a", "b"), Map.of("a", Set.of("done-earlier"), "b", Set.of("done-earlier")));

        assertEquals(List.of(List.of("a"), List.of("b")), tracks);
    }

    @Test
    void cycleIsRejectedNamingItsTasks()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParallelTracks.tracks(
            List.of("a", "b", "free"), Map.of("a", Set.of("b"), "b", Set.of("a"))));

        assertTrue(e.getMessage().contains("[a, b]"), e.getMessage());
    }

    @Test
    void duplicateTaskIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> ParallelTracks.tracks(List.of("a", "a"), Map.of()));
    }
}
