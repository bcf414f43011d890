package dev.switchboard.ipc.process;

import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.switchboard.ipc.uring.UringRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ProcessContext}: the process-wide settings, read when a context is made ({@link ProcessContext#current()}:
 * once per process), checked by {@code conclude()}.
 */
class ProcessContextTest
{
    private final Properties saved = (Properties)System.getProperties().clone();

    @AfterEach
    void restoreProperties()
    {
        System.setProperties(saved);
    }

    @Test
    void withoutPropertiesEverySettingIsItsDefault()
    {
        final ProcessContext settings = new ProcessContext().conclude();
        assertFalse(settings.futexDisabled());
        assertFalse(settings.ioUringDisabled());
        assertNull(settings.liburingPath());
        assertEquals(ProcessContext.URING_MODE_DEFAULT, settings.uringMode());
        assertNull(settings.filesGroup());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(ProcessContext.STOP_TIMEOUT_MS_DEFAULT), settings.stopTimeoutNs());
        assertEquals(-1, settings.stopWithParentPid());
    }

    @Test
    void eachPropertyIsReadWhenTheContextIsMade()
    {
        System.setProperty(ProcessContext.FUTEX_DISABLE_PROP, "true");
        System.setProperty(ProcessContext.IO_URING_DISABLE_PROP, "TRUE");
        System.setProperty(ProcessContext.LIBURING_PATH_PROP, "/opt/liburing.so.2");
        System.setProperty(ProcessContext.URING_MODE_PROP, " Cooperative ");
        System.setProperty(ProcessContext.FILES_GROUP_PROP, "switchboard");
        System.setProperty(ProcessContext.STOP_TIMEOUT_MS_PROP, "250");
        System.setProperty(ProcessContext.STOP_WITH_PARENT_PROP, "4242");
        final ProcessContext settings = new ProcessContext().conclude();
        assertTrue(settings.futexDisabled());
        assertTrue(settings.ioUringDisabled());
        assertEquals("/opt/liburing.so.2", settings.liburingPath());
        assertEquals("cooperative", settings.uringMode());
        assertEquals("switchboard", settings.filesGroup());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(250), settings.stopTimeoutNs());
        assertEquals(4242, settings.stopWithParentPid());
    }

    @Test
    void badValuesAreRefusedNamingTheProperty()
    {
        System.setProperty(ProcessContext.URING_MODE_PROP, "sometimes");
        assertEquals(ProcessContext.URING_MODE_PROP + " must be deferred, cooperative or interrupt: sometimes",
            assertThrows(IllegalArgumentException.class, () -> new ProcessContext().conclude()).getMessage());
        System.clearProperty(ProcessContext.URING_MODE_PROP);

        System.setProperty(ProcessContext.STOP_TIMEOUT_MS_PROP, "0");
        assertEquals(ProcessContext.STOP_TIMEOUT_MS_PROP + " must be at least 1: 0",
            assertThrows(IllegalArgumentException.class, () -> new ProcessContext().conclude()).getMessage());

        System.setProperty(ProcessContext.FUTEX_DISABLE_PROP, "yes");
        assertThrows(IllegalArgumentException.class, ProcessContext::new);
    }

    @Test
    void theModeNamesCheckedWithoutLiburingAreTheCompletionModes()
    {
        for (final UringRing.CompletionMode mode : UringRing.CompletionMode.values())
        {
            final String name = mode.name().toLowerCase(Locale.ROOT);
            assertEquals(name, ProcessContext.checkUringMode("p", name));
        }
        assertThrows(IllegalArgumentException.class, () -> ProcessContext.checkUringMode("p", "polling"));
        assertThrows(IllegalArgumentException.class, () -> ProcessContext.checkUringMode("p", null));
    }

    @Test
    void theProcessSettingsAreReadOnce()
    {
        final ProcessContext current = ProcessContext.current();
        System.setProperty(ProcessContext.STOP_TIMEOUT_MS_PROP, "123");
        assertSame(current, ProcessContext.current());
    }
}
