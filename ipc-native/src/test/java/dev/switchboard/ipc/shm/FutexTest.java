package dev.switchboard.ipc.shm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.testing.ChildJvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Futex}: its availability and the kernel's semantics as this code relies on them, in one process and across
 * two that map the same file. Waits that must not sleep are given a timeout of ten minutes, far beyond the test's
 * limit: a wait that slept instead of returning fails the test by its timeout, with no timing assertion.
 */
class FutexTest
{
    private static final long TEN_MINUTES_NS = TimeUnit.MINUTES.toNanos(10);
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final List<String> NATIVE_ACCESS = JvmFlags.of(JvmFlags.Group.NATIVE);

    @TempDir
    Path tempDir;

    @Test
    void isAvailableInAJvmWithNativeAccess()
    {
        assertTrue(Futex.isAvailable(), Futex.availability());
        assertTrue(Futex.availability().contains("SYS_futex"), Futex.availability());
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void waitReturnsEagainAtOnceWhenTheWordDoesNotHoldTheExpectedValue()
    {
        try (Arena arena = Arena.ofConfined(); Futex.Waiter waiter = new Futex.Waiter())
        {
            final MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
            word.set(ValueLayout.JAVA_INT, 0, 1);
            assertEquals(-Futex.EAGAIN, waiter.await(word, 0, TEN_MINUTES_NS));
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void waitReturnsEtimedoutWhenNobodyWakes()
    {
        try (Arena arena = Arena.ofConfined(); Futex.Waiter waiter = new Futex.Waiter())
        {
            final MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
            assertEquals(-Futex.ETIMEDOUT, waiter.await(word, 0, TimeUnit.MILLISECONDS.toNanos(1)));
        }
    }

    @Test
    void wakeWithNobodyWaitingWakesNobody()
    {
        try (Arena arena = Arena.ofConfined())
        {
            assertEquals(0, Futex.wake(arena.allocate(ValueLayout.JAVA_INT), Integer.MAX_VALUE));
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aWaitingThreadIsWokenAndTheWakeCountsIt() throws Exception
    {
        try (Arena arena = Arena.ofShared(); Futex.Waiter waiter = new Futex.Waiter())
        {
            final MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
            final CompletableFuture<Integer> result = CompletableFuture.supplyAsync(
                () -> waiter.await(word, 0, TEN_MINUTES_NS));
            int woken = 0;
            while (woken == 0)
            {
                woken = Futex.wake(word, Integer.MAX_VALUE); // 0 until the waiter is inside the kernel
                Thread.sleep(1);
            }
            assertEquals(1, woken);
            assertEquals(0, result.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void waitAndWakeAllocateNothingOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined(); Futex.Waiter waiter = new Futex.Waiter())
        {
            final MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
            word.set(ValueLayout.JAVA_INT, 0, 1);
            long results = 0;
            // Warm up by whole calls (not one long loop, whose on-stack replacement allocates once while compiling).
            for (int i = 0; i < 200; i++)
            {
                results += waitAndWake(waiter, word, 1_000);
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            results += waitAndWake(waiter, word, 10_000);
            final long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(-210_000L * Futex.EAGAIN, results, "every wait found the word changed, no wake woke anyone");
            assertEquals(0, bytes, "bytes allocated by 10,000 waits and wakes");
        }
    }

    private static long waitAndWake(final Futex.Waiter waiter, final MemorySegment word, final int times)
    {
        long results = 0;
        for (int i = 0; i < times; i++)
        {
            results += waiter.await(word, 0, TEN_MINUTES_NS) + Futex.wake(word, 1);
        }
        return results;
    }

    @Test
    void aMisalignedOrShortWordIsRefused()
    {
        try (Arena arena = Arena.ofConfined(); Futex.Waiter waiter = new Futex.Waiter())
        {
            final MemorySegment block = arena.allocate(16, 8);
            assertThrows(IllegalArgumentException.class, () -> Futex.wake(block.asSlice(1, 4), 1));
            assertThrows(IllegalArgumentException.class, () -> Futex.wake(block.asSlice(0, 2), 1));
            assertThrows(IllegalArgumentException.class, () -> waiter.await(block.asSlice(2, 4), 0, 1_000));
            assertThrows(IllegalArgumentException.class, () -> waiter.await(block, 0, 0));
        }
    }

    @Test
    @Tag("slow")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aWaiterInAnotherProcessIsWokenThroughTheSharedFileAndSeesItsValue() throws Exception
    {
        final Path file = tempDir.resolve("word");
        Files.write(file, new byte[4096]);
        try (Arena arena = Arena.ofShared();
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ChildJvm child = ChildJvm.start(tempDir, NATIVE_ACCESS, FutexChildMain.class, file.toString()))
        {
            final MemorySegment word = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena).asSlice(0, 4);
            final OutputStream commands = child.process().getOutputStream();
            assertTrue(child.readLine(Duration.ofSeconds(30)).startsWith("available true"), child.stderrText());

            // The child sleeps on the word; only a shared (not private) wake on our mapping can reach it.
            command(commands, "wait 0 " + TEN_MINUTES_NS);
            assertEquals("waiting", child.readLine(Duration.ofSeconds(30)));
            int woken = 0;
            while (woken == 0)
            {
                woken = Futex.wake(word, Integer.MAX_VALUE);
                Thread.sleep(1);
            }
            assertEquals(1, woken, "one waiter woken in the other process");
            assertEquals("result 0", child.readLine(Duration.ofSeconds(30)));

            // A value we store is what its FUTEX_WAIT compares against: it returns EAGAIN without sleeping.
            INT.setVolatile(word, 0L, 1);
            command(commands, "wait 0 " + TEN_MINUTES_NS);
            assertEquals("waiting", child.readLine(Duration.ofSeconds(30)));
            assertEquals("result " + -Futex.EAGAIN, child.readLine(Duration.ofSeconds(30)));

            command(commands, "wait 1 " + TimeUnit.MILLISECONDS.toNanos(1));
            assertEquals("waiting", child.readLine(Duration.ofSeconds(30)));
            assertEquals("result " + -Futex.ETIMEDOUT, child.readLine(Duration.ofSeconds(30)));

            command(commands, "exit");
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), child.stderrText());
            assertEquals("", child.stderrText());
        }
    }

    @Test
    @Tag("slow")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aJvmWithoutNativeAccessSaysWhyAndPrintsNoWarning() throws Exception
    {
        try (ChildJvm child = ChildJvm.start(tempDir, List.of(), FutexChildMain.class))
        {
            final String line = child.readLine(Duration.ofSeconds(30));
            assertTrue(line.startsWith("available false native access is not enabled"), line);
            assertTrue(line.contains(NATIVE_ACCESS.get(0)), line);
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)));
            assertEquals("", child.stderrText(), "no restricted-method warning from a flag-less JVM");
        }
    }

    @Test
    @Tag("slow")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void thePropertyDisablesIt() throws Exception
    {
        try (ChildJvm child = ChildJvm.builder(FutexChildMain.class).jvmOptions(NATIVE_ACCESS)
            .jvmOptions("-D" + Futex.DISABLE_PROP + "=true").outputIn(tempDir).start())
        {
            final String line = child.readLine(Duration.ofSeconds(30));
            assertTrue(line.startsWith("available false disabled by -D" + Futex.DISABLE_PROP), line);
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)));
        }
        assertFalse(Boolean.getBoolean(Futex.DISABLE_PROP));
    }

    private static void command(final OutputStream commands, final String line) throws IOException
    {
        commands.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
    }
}
