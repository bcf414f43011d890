/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CasesTest
{
    @Test
    void everySwitchboardTransportCaseIsPairedWithItsRawAnchor()
    {
        final List<List<String>> groups = ids(Cases.groups(Cases.all()));

        assertTrue(groups.contains(List.of("sb-critical", "c-critical", "c-java-critical", "agrona-shm")),
            groups.toString());
        assertTrue(groups.contains(List.of("sb-inprocess", "clq-threads")), groups.toString());
        assertTrue(groups.contains(List.of("sb-high", "sb-normal", "uds-nio")), groups.toString());
        assertTrue(groups.contains(List.of("sb-high-routed", "sb-normal-routed", "uds-relay")), groups.toString());
        assertTrue(groups.contains(List.of("sb-low", "chronicle-queue")), groups.toString());
        assertTrue(groups.contains(List.of("aeron-ipc")), groups.toString());
        assertTrue(groups.contains(List.of("sb-cross-host", "aeron-udp")), groups.toString());
    }

    @Test
    void everyCaseRunsOnceInTheOrderItsGroupFirstComes()
    {
        final List<List<String>> groups = ids(Cases.groups(Cases.all()));
        final List<String> flat = groups.stream().flatMap(List::stream).toList();

        assertEquals(Cases.all().size(), flat.size());
        assertEquals(Set.copyOf(Cases.all().stream().map(BenchCase::id).toList()), Set.copyOf(flat));
        assertEquals(List.of("sb-critical", "c-critical", "c-java-critical", "agrona-shm"), groups.getFirst());
    }

    @Test
    void aSelectionKeepsOnlyTheSelectedMembersOfAGroup()
    {
        final List<BenchCase> selected = Cases.all().stream()
            .filter(c -> Set.of("uds-nio", "sb-normal", "aeron-ipc").contains(c.id())).toList();

        assertEquals(List.of(List.of("sb-normal", "uds-nio"), List.of("aeron-ipc")), ids(Cases.groups(selected)));
    }

    private static List<List<String>> ids(final List<List<BenchCase>> groups)
    {
        return groups.stream().map(g -> g.stream().map(BenchCase::id).collect(Collectors.toList())).toList();
    }
}
