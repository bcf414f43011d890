package dev.switchboard.ipc.uring;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.testing.ChildJvm;

import static dev.switchboard.ipc.uring.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HIGH across processes: a child JVM (same java and class path, {@code --enable-native-access=ALL-UNNAMED} and no
 * other flag) connects a {@link UringLink} to this JVM's {@link UringServer}.
 *
 * <p>Set {@code -Dswitchboard.uring.strace=true} (with strace on PATH) to run the child under {@code strace -c -f}
 * and print its system-call summary; {@code -Dswitchboard.uring.framesPerFlush=n} makes the child flush every n
 * offers instead of after each.
 */
@Tag("slow")
class UringCrossProcessTest
{
    private static final int MILLION = 1_000_000;
    private static final List<String> CHILD_FLAGS = JvmFlags.of(JvmFlags.Group.NATIVE);

    @TempDir
    Path dir;

    private final FrameChecker atServer = new FrameChecker();
    private final AtomicReference<String> closedReason = new AtomicReference<>();

    private final UringServer.LinkListener listener = new UringServer.LinkListener()
    {
        @Override
        public void onClosed(final UringLink link, final String reason)
        {
            closedReason.set(reason);
        }
    };

    @Test
    void childProcessSendsOneMillionFramesThatArriveInOrder() throws Exception
    {
        final Path socket = dir.resolve("router-high.sock");

        try (RunningServer running = RunningServer.start(
            socket, UringConfig.defaults(), (l, b, o, n) -> atServer.onFrame(b, o, n), listener, null);
            ChildJvm child = ChildJvm.builder(UringSenderMain.class).commandPrefix(stracePrefix()).jvmOptions(CHILD_FLAGS)
                .outputIn(dir).args(socket.toString(), Integer.toString(MILLION),
                    Integer.toString(Integer.getInteger("switchboard.uring.framesPerFlush", 1))).start())
        {
            assertEquals(0, child.awaitExit(Duration.ofMinutes(3)), child.stdoutText() + child.stderrText());
            await(() -> null != closedReason.get(), 30, TimeUnit.SECONDS, "the server to see the child's EOF");

            assertNull(atServer.firstError());
            assertEquals(MILLION, atServer.received());
            assertEquals("peer closed the connection", closedReason.get());
            assertTrue(child.stdoutText().startsWith("SENT " + MILLION + " ENTERS "), child.stdoutText());
            assertFalse(child.stderrText().contains("WARNING"), "the child needs one flag only:\n" + child.stderrText());
            System.out.println("HIGH cross-process child: " + child.stdoutText().trim() +
                "; server io_uring_enter calls " + running.server.enterCalls());
            printStraceSummary();
        }
    }

    @Test
    void childKilledMidStreamLeavesEveryDeliveredFrameIntactAndInOrder() throws Exception
    {
        final Path socket = dir.resolve("router-high.sock");

        try (RunningServer running = RunningServer.start(
            socket, UringConfig.defaults(), (l, b, o, n) -> atServer.onFrame(b, o, n), listener, null);
            ChildJvm child = ChildJvm.start(dir, CHILD_FLAGS, UringSenderMain.class, socket.toString(), "-1"))
        {
            await(
                () -> atServer.received() >= 200_000 || null != closedReason.get(),
                2,
                TimeUnit.MINUTES,
                () -> "200,000 frames from the child; got " + atServer.received() + ", " + running.server +
                    ", closed: " + closedReason.get() + ", child alive " + child.process().isAlive() + ": " +
                    child.stdoutText() + child.stderrText());
            assertNull(closedReason.get(), "link closed before the kill");
            child.process().destroyForcibly();
            assertTrue(child.process().waitFor(30, TimeUnit.SECONDS));

            await(() -> null != closedReason.get(), 30, TimeUnit.SECONDS, "the server to see the child's EOF");
            assertNull(atServer.firstError());
            assertTrue(atServer.received() >= 200_000);
            assertTrue(closedReason.get().startsWith("peer closed the connection"), closedReason.get());
        }
    }

    private List<String> stracePrefix()
    {
        if (Boolean.getBoolean("switchboard.uring.strace") && null != strace())
        {
            return List.of(strace(), "-c", "-f", "-o", dir.resolve("strace.txt").toString());
        }
        return List.of();
    }

    private void printStraceSummary() throws Exception
    {
        final Path summary = dir.resolve("strace.txt");
        if (Files.exists(summary))
        {
            System.out.println("strace -c -f of the child (" + MILLION + " frames):");
            System.out.println(Files.readString(summary));
        }
    }

    private static String strace()
    {
        for (final String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            final Path candidate = Path.of(d, "strace");
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        return null;
    }
}
