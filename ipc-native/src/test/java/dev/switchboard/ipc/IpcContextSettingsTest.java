package dev.switchboard.ipc;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.ipc.link.LinkSettings;
import dev.switchboard.ipc.uring.UringEngineSettings;
import dev.switchboard.ipc.uring.UringConfig;
import dev.switchboard.ipc.uring.UringRing;
import dev.switchboard.security.LinkMac;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IpcContext} reads ipc-native's per-connection and per-router properties, its parts' included, when it is
 * made, and hands the parts their settings: the parts themselves have only their defaults.
 */
class IpcContextSettingsTest
{
    private final Properties saved = (Properties)System.getProperties().clone();

    @AfterEach
    void restoreProperties()
    {
        System.setProperties(saved);
    }

    @Test
    void withoutPropertiesThePartsGetTheirDefaults()
    {
        final IpcContext ctx = new IpcContext().underDirectory(Path.of("/tmp/sb-settings")).conclude();
        assertEquals(LinkSettings.defaults(), ctx.linkSettings());
        assertEquals(UringConfig.defaults(), ctx.uringConfig());
        assertEquals(UringRing.CompletionMode.DEFERRED, ctx.linkUringMode());
        assertEquals(UringEngineSettings.DEFAULTS, ctx.routerUringSettings());
        final DurableQueues low = ctx.lowQueues();
        assertEquals(DurableQueues.ROLL_CYCLE_DEFAULT, low.rollCycleName());
        assertEquals(DurableQueues.TIMEOUT_MS_DEFAULT, low.timeoutMs());
        assertEquals(Path.of("/tmp/sb-settings/data"), low.dataDir());
        assertFalse(ctx.linkMac().enabled());
    }

    @Test
    void thePartsSettingsComeFromThePropertiesReadWhenTheContextIsMade()
    {
        System.setProperty(LinkSettings.MAX_LINKS_PROP, "7");
        System.setProperty(LinkSettings.CLAIM_TIMEOUT_PROP, "300");
        System.setProperty(UringConfig.SEND_SLOTS_PROP, "8");
        System.setProperty(DurableQueues.TIMEOUT_MS_PROP, "500");
        System.setProperty(DurableQueues.ROLL_CYCLE_PROP, "TEST_SECONDLY");
        System.setProperty(UringEngineSettings.BUFFERS_PROP, "512");
        System.setProperty(UringEngineSettings.MODE_PROP, "interrupt");
        System.setProperty(IpcContext.LINK_URING_MODE_PROP, "cooperative");
        final IpcContext ctx = new IpcContext().conclude();
        System.clearProperty(LinkSettings.MAX_LINKS_PROP);

        assertEquals(7, ctx.linkSettings().maxLinks(), "read when made");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(300), ctx.linkSettings().claimTimeoutNs());
        assertEquals(8, ctx.uringConfig().sendSlots());
        assertEquals(500, ctx.lowQueues().timeoutMs());
        assertEquals("TEST_SECONDLY", ctx.lowQueues().rollCycleName());
        assertEquals(512, ctx.routerUringSettings().buffers());
        assertEquals(UringRing.CompletionMode.INTERRUPT, ctx.routerUringSettings().mode());
        assertEquals(UringRing.CompletionMode.COOPERATIVE, ctx.linkUringMode());

        assertEquals(DurableQueues.TIMEOUT_MS_DEFAULT, new DurableQueues(Path.of("/tmp")).timeoutMs(),
            "a part made directly reads no property");
        assertEquals(UringConfig.SEND_SLOTS_DEFAULT, UringConfig.defaults().sendSlots());
    }

    @Test
    void badValuesAreRefusedNamingTheProperty()
    {
        System.setProperty(IpcContext.LINK_URING_MODE_PROP, "eventually");
        assertEquals(IpcContext.LINK_URING_MODE_PROP + " must be deferred, cooperative or interrupt: eventually",
            assertThrows(IllegalArgumentException.class, () -> new IpcContext().conclude()).getMessage());
        System.clearProperty(IpcContext.LINK_URING_MODE_PROP);

        System.setProperty(LinkMac.PROPERTY, "maybe");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IpcContext().conclude()).getMessage()
            .startsWith(LinkMac.PROPERTY + " must be on or off"));
        System.clearProperty(LinkMac.PROPERTY);

        System.setProperty(IpcContext.SOCKET_MAX_FRAME_PROP, "big");
        assertEquals(IpcContext.SOCKET_MAX_FRAME_PROP + " must be a whole number: 'big'",
            assertThrows(IllegalArgumentException.class, IpcContext::new).getMessage());
        System.clearProperty(IpcContext.SOCKET_MAX_FRAME_PROP);

        System.setProperty(LinkSettings.MAX_LINKS_PROP, "0");
        assertTrue(assertThrows(IllegalArgumentException.class, IpcContext::new).getMessage()
            .startsWith(LinkSettings.MAX_LINKS_PROP + " must be in [1, 4096]"));
    }

    @Test
    void disabledTiersAreNamedInAnyCaseWithSpacesAndEmptyItemsIgnored()
    {
        final IpcContext ctx = new IpcContext().disabledTiers(" high, ,Low,");
        assertTrue(ctx.isDisabled("HIGH"));
        assertTrue(ctx.isDisabled("low"));
        assertFalse(ctx.isDisabled("CRITICAL"));
        assertFalse(ctx.isDisabled(""));
        assertFalse(new IpcContext().disabledTiers("").isDisabled("HIGH"));
    }
}
