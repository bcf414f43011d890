package dev.switchboard.ipc;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent process whose class path holds only the client's own jars (client, ipc-native), the codecs and Agrona runs
 * CRITICAL, HIGH and NORMAL, and LOW (Chronicle Queue, an optional dependency) answers {@code NOT_CONNECTED} with a
 * clear reason instead of a {@link NoClassDefFoundError}. The dependency list itself is checked at build time by
 * ipc-native's {@code ClientDependencyTreeTest}; this proves the code never reaches for what it leaves out.
 */
@Tag("slow")
class LeanClientTest
{
    @TempDir
    Path dir;

    /** The test class path's entries that belong to the client's own modules, the codecs and Agrona. */
    static String leanClassPath()
    {
        final List<String> kept = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            final Path p = Path.of(entry);
            final String name = p.getFileName().toString();
            final String module = "classes".equals(name) || "test-classes".equals(name) ?
                p.getParent().getParent().getFileName().toString() : name;
            if (module.equals("client") || module.equals("codecs") || module.equals("ipc-native") ||
                module.startsWith("client-0") || module.startsWith("codecs-0") || module.startsWith("ipc-native-0") ||
                module.startsWith("agrona-"))
            {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    @Test
    void anAgentWithoutChronicleRunsEveryTierButLowAndSaysWhyLowIsUnavailable() throws Exception
    {
        final String classPath = leanClassPath();
        assertTrue(Arrays.stream(classPath.split(File.pathSeparator)).noneMatch(e -> e.contains("openhft")), classPath);
        assertTrue(classPath.contains("agrona-"), classPath);
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient receiver = SwitchboardClient.connect(
                new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            receiver.register("Receiver", "test-receiver");
            try (ChildJvm lean = ChildJvm.builder(LeanAgentMain.class)
                .jvmOptions(JvmFlags.of(JvmFlags.Group.NATIVE))
                .classPath(classPath)
                .outputIn(dir)
                .args(dir.toString(), "Receiver", "CRITICAL,HIGH,NORMAL,LOW")
                .start())
            {
                final List<Long> received = new ArrayList<>();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (received.size() < 3 && System.nanoTime() < deadline)
                {
                    receiver.poll(m -> received.add(m.buffer().getLong(m.payloadOffset())));
                    Thread.sleep(1);
                }
                assertEquals(0, lean.awaitExit(Duration.ofSeconds(30)), lean.describe());
                final String out = lean.stdoutText();
                assertTrue(out.contains("CRITICAL OK"), out);
                assertTrue(out.contains("HIGH OK"), out);
                assertTrue(out.contains("NORMAL OK"), out);
                assertTrue(out.contains("LOW NOT_CONNECTED"), out);
                assertTrue(lean.stderrText().contains("Chronicle Queue (net.openhft:chronicle-queue"), lean.stderrText());
                assertTrue(!lean.stderrText().contains("NoClassDefFoundError"), lean.stderrText());
                assertEquals(3, received.size(), "CRITICAL, HIGH and NORMAL arrive: " + received);
            }
        }
    }
}
