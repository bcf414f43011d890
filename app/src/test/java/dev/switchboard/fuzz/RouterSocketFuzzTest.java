/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import dev.switchboard.fuzz.GoodTraffic;
import dev.switchboard.fuzz.HostileFrames;
import dev.switchboard.fuzz.RawConnection;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input at a live router's control socket that the fuzz campaign does not judge exactly: a flood of registrations
 * on short-lived connections, with distinct, duplicate, oversized and empty names, while well-behaved agents publish
 * through the router. Each registration is answered ({@code Registered} or {@code Error}) and counted, exactly the
 * duplicates, oversized and empty names are refused, and the good messages keep arriving in order.
 * <p>
 * Malformed frames, broken framing and HIGH links are the fuzz campaign's socket target ({@link FuzzCampaignTest},
 * {@code ./switchboard fuzz --target sockets}): the rejections counted per error against a local validator's, the
 * connections closed for broken framing, a router in a child JVM on both engines.
 * Size: {@code switchboard.fuzz.router.registrations} (default {@value #DEFAULT_REGISTRATIONS}).
 */
@Tag("slow")
class RouterSocketFuzzTest
{
    static final int DEFAULT_REGISTRATIONS = 500;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRegistrationFloodIsAnsweredAndCountedWhileGoodTrafficFlows(final String engine) throws Exception
    {
        final int count = Integer.getInteger("switchboard.fuzz.router.registrations", DEFAULT_REGISTRATIONS);
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess process = RouterProcess.launch(new RouterContext().engine(engine), ipc);
            GoodTraffic good = new GoodTraffic(ipc, Priority.NORMAL, GoodTraffic.Route.TOPIC, "good", 16,
                TimeUnit.MILLISECONDS.toNanos(1)))
        {
            final Router router = process.router();
            assertTrue(good.start() && good.awaitReceived(100, 30_000), "good traffic started: " + good.failure());
            final long receivedBefore = good.received();
            final long registeredBefore = router.counters().block().get(RouterCounter.REGISTRATIONS);
            final long refusedBefore = router.counters().block().get(RouterCounter.REGISTRATIONS_REFUSED);
            final int batch = 25;
            int registered = 0;
            int refused = 0;
            int expectedRefused = 0;
            final long start = System.nanoTime();
            for (int done = 0, round = 0; done < count; round++)
            {
                final List<RawConnection> connections = new ArrayList<>();
                final Set<String> taken = new HashSet<>();
                try
                {
                    for (int k = 0; k < batch && done < count; k++, done++)
                    {
                        final String name = switch (k % 5)
                        {
                            case 0, 1 -> "flood-" + round + "-" + k;
                            case 2 -> "dup-" + round;
                            case 3 -> "x".repeat(WireLimits.MAX_NAME_LENGTH + 1 + k);
                            default -> k % 10 == 4 ? "" : "dup-" + round;
                        };
                        final boolean valid = !name.isEmpty() && name.length() <= WireLimits.MAX_NAME_LENGTH;
                        expectedRefused += valid && taken.add(name) ? 0 : 1;
                        final RawConnection connection = RawConnection.open(ipc.socketPath());
                        connections.add(connection);
                        connection.writeFrame(HostileFrames.register(done, name, 10_000), deadline());
                    }
                    for (final RawConnection connection : connections)
                    {
                        assertTrue(connection.awaitReplies(1, deadline()), "registration answered");
                        final int templateId = connection.lastTemplateId();
                        if (templateId == RegisteredDecoder.TEMPLATE_ID)
                        {
                            registered++;
                        }
                        else if (templateId == ErrorDecoder.TEMPLATE_ID)
                        {
                            refused++;
                        }
                        else
                        {
                            throw new AssertionError("registration answered with template " + templateId);
                        }
                    }
                }
                finally
                {
                    for (final RawConnection connection : connections)
                    {
                        connection.close();
                    }
                }
            }
            final long floodNs = System.nanoTime() - start;

            assertEquals(count, registered + refused, "every registration answered");
            assertEquals(expectedRefused, refused, "duplicate, oversized and empty names refused");
            final long deadline = deadline();
            while (router.counters().block().get(RouterCounter.REGISTRATIONS) - registeredBefore != registered ||
                router.counters().block().get(RouterCounter.REGISTRATIONS_REFUSED) - refusedBefore != refused)
            {
                assertTrue(System.nanoTime() < deadline, "registrations counted " +
                    (router.counters().block().get(RouterCounter.REGISTRATIONS) - registeredBefore) + "/" + registered +
                    ", refusals " + (router.counters().block().get(RouterCounter.REGISTRATIONS_REFUSED) -
                    refusedBefore) + "/" + refused);
                Thread.sleep(1);
            }
            final long receivedDuring = good.received() - receivedBefore;
            final GoodTraffic.Outcome outcome = good.stop(30_000);
            System.out.printf("registration flood (%s): %,d registrations in %.1f s (%,.0f/s); good traffic: %,d " +
                "messages in order, %,d of them during the flood%n", engine, count, floodNs / 1e9,
                count * 1e9 / floodNs, outcome.sent(), receivedDuring);
            assertTrue(outcome.isWhole(), "every good message arrived in order: " + outcome);
            assertTrue(receivedDuring > 0, "good traffic flowed during the flood");
        }
    }

    private static long deadline()
    {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    }
}
