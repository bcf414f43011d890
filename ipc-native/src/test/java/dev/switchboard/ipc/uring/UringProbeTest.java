package dev.switchboard.ipc.uring;

import dev.switchboard.ipc.uring.liburing.liburing_h;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.ipc.process.ProcessContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UringProbeTest
{
    @TempDir
    Path dir;

    @Test
    void highIsAvailableWithLiburingAndNativeAccess()
    {
        final UringProbe.Result result = UringProbe.probe();

        assertTrue(result.available(), result.reason());
        assertTrue(result.reason().contains("liburing.so.2"), result.reason());
        assertTrue(result.reason().contains("io_uring DEFERRED"), result.reason());
    }

    @Test
    void theNewerFeaturesTheEnginesUseAreTriedForRealOnThisKernel()
    {
        final UringProbe.Features features = UringProbe.features();

        // Kernel 6.18 here: every feature is there. The summary is what the router and agents log at start.
        assertEquals(UringRing.CompletionMode.DEFERRED, features.mode(), features.summary());
        assertTrue(features.bufferRings(), features.summary());
        assertTrue(features.multishotRecv(), features.summary());
        assertTrue(features.supports(liburing_h.IORING_OP_RECV()));
        assertFalse(features.supports(-1));
        assertTrue(features.summary().contains("provided buffer rings yes; multishot receive yes"), features.summary());
    }

    @Test
    void disablePropertyMakesHighUnavailableWithTheReason()
    {
        final UringProbe.Result result = withProperty(UringProbe.DISABLE_PROP, "true");

        assertFalse(result.available());
        assertEquals("io_uring disabled by -Dswitchboard.iouring.disable=true", result.reason());
    }

    @Test
    void liburingPathThatDoesNotExistMakesHighUnavailableNamingThePath()
    {
        final String missing = dir.resolve("no-such-dir").resolve("liburing.so.2").toString();

        final UringProbe.Result result = withProperty(liburing_h.LIBRARY_PATH_PROP, missing);

        assertFalse(result.available());
        assertTrue(result.reason().contains(missing), result.reason());
        assertTrue(result.reason().contains(liburing_h.LIBRARY_PATH_PROP), result.reason());
    }

    @Test
    void liburingPathToALibraryWithoutItsFunctionsMakesHighUnavailableNamingThePath()
    {
        final String notLiburing = Path.of(System.getProperty("java.home"), "lib", "libnet.so").toString();

        final UringProbe.Result result = withProperty(liburing_h.LIBRARY_PATH_PROP, notLiburing);

        assertFalse(result.available());
        assertEquals(
            notLiburing + " does not export io_uring_queue_init (liburing 2.2 or later needed)", result.reason());
    }

    @Test
    @Tag("slow")
    void jvmWithoutNativeAccessIsToldWhyAndPrintsNoWarning() throws Exception
    {
        try (ChildJvm child = ChildJvm.start(dir, List.of(), UringProbeMain.class))
        {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.stderrText());

            assertEquals(
                "HIGH unavailable: native access is not enabled for the class path: start the JVM with " +
                "--enable-native-access=ALL-UNNAMED",
                child.stdoutText().trim());
            assertFalse(child.stderrText().contains("WARNING"), child.stderrText());
        }
    }

    private static UringProbe.Result withProperty(final String name, final String value)
    {
        final String previous = System.getProperty(name);
        System.setProperty(name, value);
        try
        {
            return UringProbe.probe(new ProcessContext());
        }
        finally
        {
            if (null == previous)
            {
                System.clearProperty(name);
            }
            else
            {
                System.setProperty(name, previous);
            }
        }
    }
}
