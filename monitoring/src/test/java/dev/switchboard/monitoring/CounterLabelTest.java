/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.util.Map;

import dev.switchboard.monitoring.metrics.CounterLabel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CounterLabelTest
{
    @Test
    void aMessageCounterIsItsKindWithTierAndPattern()
    {
        final CounterLabel label = CounterLabel.parse("BACK_PRESSURED tier=CRITICAL pattern=SEND");
        assertEquals("BACK_PRESSURED", label.name());
        assertEquals(Map.of("tier", "CRITICAL", "pattern", "SEND"), label.attributes());
    }

    @Test
    void aRouterCounterIsANameAloneWhichBecomesAnIdentifier()
    {
        final CounterLabel label = CounterLabel.parse("rejected: unknown schema");
        assertEquals("rejected: unknown schema", label.name());
        assertEquals(Map.of(), label.attributes());
        assertEquals("rejected_unknown_schema", CounterLabel.identifier(label.name()));
        assertEquals("link_mac_rejected_normal_control_socket",
            CounterLabel.identifier("link MAC rejected: NORMAL/control socket"));
        assertEquals("unnamed", CounterLabel.identifier(" : "));
    }
}
