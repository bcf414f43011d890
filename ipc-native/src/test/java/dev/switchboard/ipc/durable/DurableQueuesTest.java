package dev.switchboard.ipc.durable;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.switchboard.codecs.WireLimits;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurableQueuesTest
{
    @TempDir
    Path dir;

    @Test
    void sanitiseKeepsPortableNamesUnchanged()
    {
        assertEquals("agent-b", DurableQueues.sanitise("agent-b"));
        assertEquals("Agent_1.v2", DurableQueues.sanitise("Agent_1.v2"));
    }

    @Test
    void sanitiseEscapesEveryOtherByteAndALeadingDot()
    {
        assertEquals("%2E", DurableQueues.sanitise("."));
        assertEquals("%2E.", DurableQueues.sanitise(".."));
        assertEquals("%2Ehidden", DurableQueues.sanitise(".hidden"));
        assertEquals("%2E.%2F..%2Fetc", DurableQueues.sanitise("../../etc")); // one path component
        assertEquals("a%2Fb", DurableQueues.sanitise("a/b"));
        assertEquals("a%20b", DurableQueues.sanitise("a b"));
        assertEquals("%25", DurableQueues.sanitise("%"));
        assertEquals("caf%C3%A9", DurableQueues.sanitise("café"));
        assertEquals("nul%00", DurableQueues.sanitise("nul\0"));
    }

    @Test
    void sanitiseIsOneToOneOnNamesThatLookAlike()
    {
        final List<String> names = List.of("a/b", "a%2Fb", "a%2fb", "a.b", ".ab", "%2Eab", "a_b", "a-b", "A-b");
        final Set<String> dirs = new HashSet<>();
        for (final String name : names)
        {
            assertTrue(dirs.add(DurableQueues.sanitise(name)), name);
        }
    }

    @Test
    void sanitiseKeepsLongNonAsciiNamesWithinTheFileNameLimitAndDistinct()
    {
        final String a = "é".repeat(WireLimits.MAX_NAME_LENGTH / 2);
        final String b = "é".repeat(WireLimits.MAX_NAME_LENGTH / 2 - 1) + "è";
        final String da = DurableQueues.sanitise(a);
        final String db = DurableQueues.sanitise(b);
        assertTrue(da.length() <= DurableQueues.MAX_DIRECTORY_NAME_LENGTH, da);
        assertTrue(da.matches("[A-Za-z0-9._%~-]+"), da);
        assertTrue(!da.equals(db));
    }

    @Test
    void sanitiseRejectsEmptyAndOverlongNames()
    {
        assertThrows(IllegalArgumentException.class, () -> DurableQueues.sanitise(""));
        assertThrows(IllegalArgumentException.class, () -> DurableQueues.sanitise(null));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> DurableQueues.sanitise("x".repeat(WireLimits.MAX_NAME_LENGTH + 1)));
        assertTrue(ex.getMessage().contains("128") && ex.getMessage().contains("129"), ex.getMessage());
    }

    @Test
    void queuePathIsADirectChildOfTheDataDirWhateverTheName()
    {
        final DurableQueues queues = new DurableQueues(dir.resolve("data"));
        for (final String name : List.of("..", ".", "../x", "/abs", "a/../../b", "~", "a\\b", "\n"))
        {
            final Path path = queues.queuePath(name);
            assertEquals(queues.dataDir(), path.getParent(), name);
            assertEquals(path, path.normalize(), name);
        }
    }

    @Test
    void openCreatesOwnerOnlyDirectories() throws Exception
    {
        final Path data = dir.resolve("runtime").resolve("data");
        final DurableQueues queues = new DurableQueues(data).conclude();
        try (SingleChronicleQueue queue = queues.open("agent/with slash"))
        {
            assertEquals(queues.queuePath("agent/with slash").toFile(), queue.file());
        }
        for (final Path p : List.of(dir.resolve("runtime"), data, data.resolve("agent%2Fwith%20slash")))
        {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
    }

    @Test
    void probeReportsAvailableUnderTheBuildFlags()
    {
        assertNull(DurableQueues.unavailableReason());
        assertTrue(DurableQueues.available());
    }

    @Test
    void jvmFlagsAreTheFlagsThisTestJvmWasStartedWith()
    {
        // Surefire passes the router's flags of jvm.flags (read by the poms); JVM_FLAGS comes from the same file.
        final List<String> started = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertFalse(DurableQueues.JVM_FLAGS.isEmpty());
        for (final String flag : DurableQueues.JVM_FLAGS)
        {
            assertTrue(started.contains(flag), "missing " + flag + " in " + started);
        }
    }

    @Test
    void analyticsAreDisabledAndTheAnalyticsLibraryIsAbsent()
    {
        assertTrue(DurableQueues.available());
        assertEquals("true", System.getProperty(DurableQueues.ANALYTICS_DISABLE_PROP));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("net.openhft.chronicle.analytics.Analytics"));
    }

    @Test
    void concludeRejectsAnUnknownRollCycleNamingTheKnownOnes()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new DurableQueues(dir).rollCycle("HOURLY_ISH").conclude());
        assertTrue(ex.getMessage().contains("HOURLY_ISH") && ex.getMessage().contains("FAST_DAILY"), ex.getMessage());
    }

    @Test
    void concludeRejectsAFrameLimitAboveTheWireLimit()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new DurableQueues(dir).maxFrameLength(WireLimits.MAX_FRAME_LENGTH + 1).conclude());
        assertTrue(ex.getMessage().contains(Integer.toString(WireLimits.MAX_FRAME_LENGTH + 1)), ex.getMessage());
    }

    @Test
    void settingsAreFixedOnceConcluded()
    {
        final DurableQueues queues = new DurableQueues(dir).conclude();
        assertThrows(IllegalStateException.class, () -> queues.maxFrameLength(10));
    }
}
