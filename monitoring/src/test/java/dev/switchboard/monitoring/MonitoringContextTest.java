/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitoringContextTest
{
    @Test
    void thePortIsANumberZeroForAnyOrMinusOneOrOffForNone()
    {
        assertEquals(9002, MonitoringContext.parsePort("9002"));
        assertEquals(MonitoringContext.ANY_PORT, MonitoringContext.parsePort("0"));
        assertEquals(MonitoringContext.NO_SERVER, MonitoringContext.parsePort("-1"));
        assertEquals(MonitoringContext.NO_SERVER, MonitoringContext.parsePort(" OFF "));
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> MonitoringContext.parsePort("90o2"));
        assertEquals("switchboard.metrics.port must be a port (1 to 65535), 0 for any free port, or -1 or off for no " +
            "server: '90o2'", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MonitoringContext.parsePort("65536"));
    }

    @Test
    void theDefaultsAreTheSpecificationsPortOnLoopbackAndAThreeSecondHeartbeat()
    {
        final MonitoringContext context = new MonitoringContext().conclude();
        assertEquals(System.getProperty(MonitoringContext.PORT_PROPERTY) == null ? 9002 :
            MonitoringContext.parsePort(System.getProperty(MonitoringContext.PORT_PROPERTY)), context.port());
        assertEquals("127.0.0.1", new MonitoringContext().host());
        assertEquals(3_000, new MonitoringContext().heartbeatFreshMs());
        assertTrue(new MonitoringContext().conclude().shmDir().toString().startsWith("/dev/shm/switchboard-") ||
            System.getProperty("switchboard.shm.dir") != null);
        assertFalse(new MonitoringContext().port(MonitoringContext.NO_SERVER).enabled());
    }

    @Test
    void concludeRefusesSettingsOutOfRangeNamingTheProperty()
    {
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> new MonitoringContext().sampleIntervalMs(1).conclude());
        assertEquals("switchboard.metrics.sample.interval.ms must be at least 10: 1", bad.getMessage());
    }
}
