import dev.switchboard.client.*;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.transport.OfferStatus;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;

/**
 * The Java side of native/README.md's "A C agent and a Java agent through a real router", the other direction: a Java
 * agent that sends COUNT messages to a C agent and makes COUNT requests of it, at CRITICAL (straight into the C agent's
 * inbox) and at NORMAL (through the router), and checks every response (example_agent --serve echoes requests).
 * Run as a single-file source program on the app's class path:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Dswitchboard.runtime.dir=DIR \
 *     -cp "$(cat app/target/classpath.txt):app/target/classes" native/examples/java/JavaToC.java C_AGENT COUNT
 * </pre>
 */
public class JavaToC
{
    public static void main(String[] args) throws Exception
    {
        final String target = args[0];
        final int count = Integer.parseInt(args[1]);
        try (SwitchboardClient c = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(new IpcContext()))))
        {
            c.register("java-to-c");
            final SegmentBuffer buf = SegmentBuffer.allocate(Arena.ofAuto(), 256);
            for (Priority p : new Priority[] {Priority.CRITICAL, Priority.NORMAL})
            {
                final Destination d = c.destination(target, p);
                final int[] ok = new int[1];
                final int[] timeouts = new int[1];
                for (int i = 0; i < count; i++)
                {
                    final byte[] text = ("java-" + p + "-" + i).getBytes(StandardCharsets.UTF_8);
                    buf.putBytes(0, text);
                    while (c.send(d, buf, 0, text.length) == OfferStatus.BACK_PRESSURED) { c.poll(m -> {}); }
                    final String expected = new String(text, StandardCharsets.UTF_8);
                    long id;
                    while ((id = c.request(d, buf, 0, text.length, 5_000_000_000L, new ResponseHandler()
                    {
                        public void onResponse(long correlationId, Message response)
                        {
                            if (response.payloadAsString().equals(expected)) ok[0]++;
                        }
                        public void onTimeout(long correlationId) { timeouts[0]++; }
                    })) == OfferStatus.BACK_PRESSURED) { c.poll(m -> {}); }
                    if (id < 0) throw new IllegalStateException("request " + OfferStatus.name(id));
                    final long deadline = System.nanoTime() + 6_000_000_000L;
                    while (ok[0] + timeouts[0] <= i && System.nanoTime() < deadline) { c.idleStrategy().idle(c.poll(m -> {})); }
                }
                System.out.println("java-to-c " + p + ": " + count + " sends and " + count + " requests to " + target +
                    ", " + ok[0] + " responses intact, " + timeouts[0] + " timed out, tier " + c.tierFor(p));
            }
        }
    }
}
