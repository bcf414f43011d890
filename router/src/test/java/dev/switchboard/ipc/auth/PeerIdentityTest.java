/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.access.Authenticator;
import dev.switchboard.testing.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router reads the kernel's credentials of each control connection ({@code SO_PEERCRED}) and checks them
 * against its policy. The peer here is a real process running as another user ({@code nobody}, through
 * {@code setpriv}); it uses only the JDK (a single-file program), since that user cannot read the build's class
 * path. Needs root and setpriv; skipped with the reason otherwise.
 */
@Tag("slow")
@Timeout(60)
class PeerIdentityTest
{
    private static final String PROBE = """
        import java.net.StandardProtocolFamily;
        import java.net.UnixDomainSocketAddress;
        import java.nio.ByteBuffer;
        import java.nio.ByteOrder;
        import java.nio.channels.SocketChannel;
        import java.nio.file.Path;
        import java.util.HexFormat;

        public class Probe
        {
            public static void main(final String[] args) throws Exception
            {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX))
                {
                    ch.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
                    for (int i = 2; i < args.length; i++)
                    {
                        final byte[] bytes = HexFormat.of().parseHex(args[i]);
                        final ByteBuffer out = ByteBuffer.allocate(4 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
                        out.putInt(bytes.length).put(bytes).flip();
                        while (out.hasRemaining())
                        {
                            ch.write(out);
                        }
                    }
                    final ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                    while (length.hasRemaining())
                    {
                        if (ch.read(length) < 0)
                        {
                            System.out.println("EOF");
                            return;
                        }
                    }
                    final ByteBuffer frame = ByteBuffer.allocate(length.getInt(0));
                    while (frame.hasRemaining())
                    {
                        if (ch.read(frame) < 0)
                        {
                            System.out.println("EOF");
                            return;
                        }
                    }
                    System.out.println("FRAME " + HexFormat.of().formatHex(frame.array()));
                    if (args.length > 1 && args[1].equals("one"))
                    {
                        return;
                    }
                    final ByteBuffer rest = ByteBuffer.allocate(1024);
                    while (ch.read(rest) >= 0)
                    {
                        rest.clear();
                    }
                    System.out.println("EOF");
                }
            }
        }
        """;

    private Path run;
    private RouterProcess router;

    @BeforeEach
    void requireRootAndSetpriv() throws IOException
    {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
            "skipped: running a peer as another user needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
            "skipped: /usr/bin/setpriv (util-linux) is not installed");
        // Readable by nobody: the probe's source and the socket's directory.
        run = Files.createTempDirectory("sb-peer-");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path probe = run.resolve("Probe.java");
        Files.writeString(probe, PROBE);
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterEach
    void stop() throws IOException
    {
        if (router != null)
        {
            router.close();
        }
        if (run != null)
        {
            try (Stream<Path> files = Files.walk(run))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private IpcContext launch(final Authenticator auth) throws IOException
    {
        final IpcContext ipc = new IpcContext().underDirectory(run);
        router = RouterProcess.launch(new RouterContext().authenticator(auth), ipc);
        // The deployment decides who may reach the socket at all; open it so that the policy is what decides.
        Files.setPosixFilePermissions(ipc.socketPath(), PosixFilePermissions.fromString("rw-rw-rw-"));
        return ipc;
    }

    private List<String> probeAsNobody(final IpcContext ipc, final String... extra) throws Exception
    {
        return probeAsNobody(ipc.socketPath(), extra);
    }

    private List<String> probeAsNobody(final Path socket, final String... extra) throws Exception
    {
        try (ChildJvm probe = ChildJvm.builder(run.resolve("Probe.java").toString())
            .commandPrefix(List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"))
            .jvmOptions("-XX:-UsePerfData", "-Xshare:off").withoutClassPath().args(socket.toString()).args(extra)
            .environment("HOME", run.toString()).name("probe-as-nobody").start())
        {
            assertEquals(0, probe.awaitExit(Duration.ofSeconds(40)),
                "probe did not finish (the router kept the connection open?) or failed; " + probe.describe());
            return probe.stdoutLines();
        }
    }

    private static UnsafeBuffer frame(final List<String> lines)
    {
        final String line = lines.stream().filter(l -> l.startsWith("FRAME ")).findFirst()
            .orElseThrow(() -> new AssertionError("no frame from the router: " + lines));
        return new UnsafeBuffer(HexFormat.of().parseHex(line.substring(6)));
    }

    @Test
    void anotherUserIsRefusedAtConnectByTheDefaultPolicyWithTheReason() throws Exception
    {
        final IpcContext ipc = launch(new Authenticator());
        final List<String> out = probeAsNobody(ipc);
        final UnsafeBuffer frame = frame(out);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame, 0);
        assertEquals(ErrorDecoder.TEMPLATE_ID, header.templateId(), "refused before any challenge");
        final ErrorDecoder error = new ErrorDecoder().wrapAndApplyHeader(frame, 0, header);
        assertEquals(ErrorCode.NOT_AUTHORISED, error.code());
        final String text = error.text();
        assertTrue(text.contains("user nobody"), text);
        assertEquals("EOF", out.getLast(), "the router closes the refused connection");
        assertEquals(1, router.router().counters().block().get(RouterCounter.AUTH_PEER_REFUSED));
    }

    @Test
    void aPeerLineForThatUserAdmitsItAndItIsChallenged() throws Exception
    {
        final Path policy = run.resolve("policy.conf");
        Files.writeString(policy, "peer user=nobody role=observer\npeer user=root role=admin\n");
        final IpcContext ipc = launch(new Authenticator().policyFile(policy));
        final UnsafeBuffer frame = frame(probeAsNobody(ipc, "one"));
        assertEquals(ChallengeDecoder.TEMPLATE_ID, new MessageHeaderDecoder().wrap(frame, 0).templateId());
        assertEquals(0, router.router().counters().block().get(RouterCounter.AUTH_PEER_REFUSED));
    }

    @Test
    void aHighLinkFromAnotherUserCannotAttachToAnAgent() throws Exception
    {
        final IpcContext ipc = launch(new Authenticator());
        final Path high = ipc.highSocketPath();
        Assumptions.assumeTrue(high != null && Files.exists(high), "skipped: io_uring (HIGH) is not available here");
        Files.setPosixFilePermissions(high, PosixFilePermissions.fromString("rw-rw-rw-"));
        // The victim does not poll while the probe runs (a JVM start as another user takes seconds): a long lease
        // keeps it registered.
        try (SwitchboardClient victim = SwitchboardClient.connect(new ClientContext().secretFile(null).jwt(null)
            .requestedLeaseMs(60_000).connection(IpcConnection.connect(ipc))))
        {
            final long agentId = victim.register("victim").agentId();
            final UnsafeBuffer heartbeat = new UnsafeBuffer(new byte[64]);
            final HeartbeatEncoder encoder = new HeartbeatEncoder()
                .wrapAndApplyHeader(heartbeat, 0, new MessageHeaderEncoder()).agentId(agentId).timestampNs(1);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
            final String hex = HexFormat.of().formatHex(heartbeat.byteArray(), 0, length);
            final List<String> out = probeAsNobody(high, "all", hex);
            assertEquals(List.of("EOF"), out, "the router closes the link without a frame");
            assertEquals(1, router.refusedHighLinks(), router.highServerState());
        }
    }
}
