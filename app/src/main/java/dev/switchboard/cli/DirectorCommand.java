/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.switchboard.client.AgentInfo;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Message;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.StopSignals;
import dev.switchboard.orchestrator.director.BusDirector;
import dev.switchboard.orchestrator.director.DirectorCodec;
import dev.switchboard.orchestrator.director.DirectorMessage;
import dev.switchboard.orchestrator.runtime.TaskAgent;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard director --router-dir DIR}: a Director at a terminal. Connects to the router whose runtime
 * directory is DIR (a {@code coordinate --router-dir DIR}), registers as {@code Director} (or {@code --name}),
 * subscribes to the reports, and prints every report, escalation, request and plan request as it comes, one line of
 * JSON each after its kind. A person answers the oldest open escalation with {@code retry}, {@code skip},
 * {@code abort}, {@code reassign AGENT} or {@code replan}, each with an optional note, sends guidance with
 * {@code override GATE WARNING|BLOCKING REASON...} or {@code limit N}, and answers the oldest plan request with
 * {@code plan FILE}. For scripts: {@code --answers FILE} answers escalations with its lines in order (when they run out
 * no answer goes, and the orchestrator's timeout applies), {@code --plan FILE} answers plan requests with the file.
 * Runs until SIGINT or SIGTERM ({@link StopSignals}), then deregisters; exit 0.
 */
@Command(name = "director", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Be the Director on a router's bus: print reports and escalations, answer them, send guidance.")
final class DirectorCommand implements Callable<Integer>
{
    /** Printed once registered, for scripts and tests that wait for it. */
    static final String READY = "director ready: ";

    @Spec
    private CommandSpec spec;

    @Option(names = "--router-dir", paramLabel = "DIR", required = true,
        description = "the router's runtime directory (coordinate --router-dir DIR)")
    private Path routerDirectory;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = BusDirector.DEFAULT_NAME,
        description = "the agent name to register (the orchestrator's --director) (default: ${DEFAULT-VALUE})")
    private String name;

    @Option(names = "--answers", paramLabel = "FILE",
        description = "answer escalations with the file's lines in order (retry, skip, abort, reassign AGENT, " +
            "replan, each with an optional note); when they run out, none")
    private Path answers;

    @Option(names = "--plan", paramLabel = "FILE",
        description = "answer plan requests with this file (Markdown when it ends in .md, JSON otherwise)")
    private Path plan;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "how long to wait for the router to appear in DIR (default: ${DEFAULT-VALUE})")
    private long connectTimeoutSeconds;

    private final ArrayDeque<String> scripted = new ArrayDeque<>();
    private final ArrayDeque<Open> openEscalations = new ArrayDeque<>();
    private final ArrayDeque<Open> openPlanRequests = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<String> typed = new ConcurrentLinkedQueue<>();
    private SwitchboardClient client;
    private PrintWriter out;

    /** A request not answered yet. */
    private record Open(long requesterId, long correlationId, Priority priority, String what)
    {
    }

    @Override
    public Integer call() throws Exception
    {
        out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (answers != null)
        {
            if (!Files.isRegularFile(answers))
            {
                throw new ParameterException(spec.commandLine(), "--answers '" + answers + "' is not a file");
            }
            for (final String line : Files.readAllLines(answers))
            {
                if (!line.isBlank() && !line.strip().startsWith("#"))
                {
                    scripted.addLast(line.strip());
                }
            }
        }
        if (plan != null && !Files.isRegularFile(plan))
        {
            throw new ParameterException(spec.commandLine(), "--plan '" + plan + "' is not a file");
        }
        final StopSignals signals = StopSignals.current();
        client = connect(signals);
        if (client == null)
        {
            err.println("switchboard director: no router in '" + routerDirectory + "' within " +
                connectTimeoutSeconds + " s" + (signals.isStopRequested() ? " (stopped)" : ""));
            return signals.isStopRequested() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        try (SwitchboardClient owned = client)
        {
            client.register(name, "director");
            client.subscribe(BusDirector.REPORT_TOPIC);
            out.println(READY + name + (answers == null ? "; type retry, skip, abort, reassign AGENT, replan, " +
                "override GATE WARNING|BLOCKING REASON, limit N or plan FILE" : "; " + scripted.size() +
                " scripted answers"));
            out.flush();
            if (answers == null)
            {
                startReadingTerminal();
            }
            final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
            while (!signals.isStopRequested())
            {
                int work = client.poll(this::onMessage);
                String line;
                while ((line = typed.poll()) != null)
                {
                    work++;
                    command(line);
                }
                idle.idle(work);
            }
            out.println("director " + name + " stopped (" + signals.reason() + ")");
            out.flush();
            return ExitCodes.OK;
        }
    }

    private SwitchboardClient connect(final StopSignals signals) throws InterruptedException
    {
        final long deadlineMs = System.currentTimeMillis() + connectTimeoutSeconds * 1000;
        RuntimeException last = null;
        while (System.currentTimeMillis() < deadlineMs && !signals.isStopRequested())
        {
            try
            {
                return SwitchboardClient.connect(new ClientContext().requestedLeaseMs(TaskAgent.LEASE_MS)
                    .connection(IpcConnection.connect(new IpcContext().underDirectory(routerDirectory))));
            }
            catch (final RuntimeException ex)
            {
                last = ex; // the router is not up yet
                Thread.sleep(100);
            }
        }
        if (last != null)
        {
            spec.commandLine().getErr().println("switchboard director: " + last.getMessage());
        }
        return null;
    }

    private void startReadingTerminal()
    {
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    if (!line.isBlank())
                    {
                        typed.add(line.strip());
                    }
                }
            }
            catch (final IOException ex)
            {
                typed.add("# the terminal closed: " + ex.getMessage());
            }
        }, "director-terminal");
        reader.setDaemon(true);
        reader.start();
    }

    private void onMessage(final Message message)
    {
        final byte[] bytes = message.payloadBytes();
        final DirectorMessage received = DirectorCodec.fromBytes(bytes);
        final String text = new String(bytes, StandardCharsets.UTF_8);
        switch (received)
        {
            case DirectorMessage.Report report -> print("report", text);
            case DirectorMessage.Escalation escalation when message.pattern() == Pattern.REQUEST ->
            {
                print("escalation", text);
                openEscalations.addLast(open(message, escalation.taskId()));
                if (answers != null)
                {
                    if (scripted.isEmpty())
                    {
                        out.println("no answer left for " + escalation.taskId() + ": the orchestrator's timeout " +
                            "applies");
                        out.flush();
                        openEscalations.pollLast();
                    }
                    else
                    {
                        command(scripted.pollFirst());
                    }
                }
            }
            case DirectorMessage.PlanRequest request when message.pattern() == Pattern.REQUEST ->
            {
                print("plan-request", text);
                openPlanRequests.addLast(open(message, "phase " + request.phase() + " of " + request.workflowId()));
                if (plan != null)
                {
                    answerPlan(plan);
                }
            }
            case DirectorMessage.Request request -> print("request", text);
            case null, default -> print("message", text);
        }
    }

    private static Open open(final Message message, final String what)
    {
        return new Open(message.sourceAgentId(), message.correlationId(), message.priority(), what);
    }

    private void print(final String kind, final String json)
    {
        out.println(kind + " " + json);
        out.flush();
    }

    /** One line of the terminal or of --answers. */
    private void command(final String line)
    {
        if (line.startsWith("#"))
        {
            out.println(line);
            out.flush();
            return;
        }
        final String[] words = line.split("\\s+", 2);
        final String verb = words[0].toLowerCase(Locale.ROOT);
        final String rest = words.length > 1 ? words[1].strip() : "";
        switch (verb)
        {
            case "retry", "skip", "abort", "replan" ->
                decide(new DirectorMessage.Decision(verb.toUpperCase(Locale.ROOT), rest, ""));
            case "reassign" ->
            {
                final String[] agentAndNote = rest.split("\\s+", 2);
                if (agentAndNote[0].isEmpty())
                {
                    say("reassign needs the agent: reassign AGENT [note]");
                    return;
                }
                decide(new DirectorMessage.Decision("REASSIGN", agentAndNote.length > 1 ? agentAndNote[1] : "",
                    agentAndNote[0]));
            }
            case "override" ->
            {
                final String[] parts = rest.split("\\s+", 3);
                if (parts.length < 3)
                {
                    say("override needs a gate, WARNING or BLOCKING, and a reason");
                    return;
                }
                guide(new DirectorMessage.Guidance(null, null,
                    List.of(new DirectorMessage.GateOverride(parts[0], parts[1].toUpperCase(Locale.ROOT), parts[2])),
                    null, null));
            }
            case "limit" ->
            {
                try
                {
                    guide(new DirectorMessage.Guidance(null, Map.of("maxParallelTasks", Integer.parseInt(rest)), null,
                        null, null));
                }
                catch (final NumberFormatException ex)
                {
                    say("limit needs a number of tasks, was '" + rest + "'");
                }
            }
            case "plan" -> answerPlan(Path.of(rest));
            default -> say("unknown command '" + verb + "': retry, skip, abort, reassign AGENT, replan [note]; " +
                "override GATE WARNING|BLOCKING REASON; limit N; plan FILE");
        }
    }

    private void decide(final DirectorMessage.Decision decision)
    {
        final Open escalation = openEscalations.pollFirst();
        if (escalation == null)
        {
            say("no escalation is waiting for an answer");
            return;
        }
        final int status = respond(escalation, DirectorCodec.toBytes(decision));
        say("answered " + escalation.what() + ": " + decision.verdict() + (decision.agent().isEmpty() ? "" : " " +
            decision.agent()) + (status == OfferStatus.OK ? "" : " (not delivered: " + OfferStatus.name(status) + ")"));
    }

    private void answerPlan(final Path file)
    {
        final Open request = openPlanRequests.pollFirst();
        if (request == null)
        {
            say("no plan request is waiting for an answer");
            return;
        }
        final String text;
        try
        {
            text = Files.readString(file);
        }
        catch (final IOException ex)
        {
            openPlanRequests.addFirst(request);
            say("cannot read the plan '" + file + "': " + ex.getMessage());
            return;
        }
        final String format = file.getFileName().toString().endsWith(".md") ? "markdown" : "json";
        final int status = respond(request, DirectorCodec.toBytes(new DirectorMessage.Plan(format, text)));
        say("answered " + request.what() + " with " + file + " (" + format + ")" + (status == OfferStatus.OK ? "" :
            " (not delivered: " + OfferStatus.name(status) + ")"));
    }

    private void guide(final DirectorMessage.Guidance guidance)
    {
        final AgentInfo orchestrator = client.lookup(TaskAgent.ORCHESTRATOR);
        if (orchestrator == null)
        {
            say("no " + TaskAgent.ORCHESTRATOR + " on the bus: the guidance was not sent");
            return;
        }
        final byte[] bytes = DirectorCodec.toBytes(guidance);
        final SegmentBuffer payload = buffer(bytes);
        final int status = offered(() -> client.send(orchestrator.agentId(), Priority.NORMAL, payload, 0,
            bytes.length));
        say("guidance " + (status == OfferStatus.OK ? "sent" : "not sent (" + OfferStatus.name(status) + ")") + ": " +
            new String(bytes, StandardCharsets.UTF_8));
    }

    private int respond(final Open open, final byte[] bytes)
    {
        final SegmentBuffer payload = buffer(bytes);
        return offered(() -> client.respond(open.requesterId(), open.correlationId(), open.priority(), payload, 0,
            bytes.length));
    }

    /** Offers again while back-pressured (a destination being resolved), for up to a second. */
    private int offered(final java.util.function.IntSupplier offer)
    {
        final long giveUpNs = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
        int status;
        while ((status = offer.getAsInt()) == OfferStatus.BACK_PRESSURED && System.nanoTime() < giveUpNs)
        {
            client.keepAlive();
            Thread.onSpinWait();
        }
        return status;
    }

    private void say(final String text)
    {
        out.println(text);
        out.flush();
    }

    private static SegmentBuffer buffer(final byte[] bytes)
    {
        final SegmentBuffer buffer = SegmentBuffer.allocate(java.lang.foreign.Arena.ofAuto(), Math.max(1,
            bytes.length));
        buffer.putBytes(0, bytes);
        return buffer;
    }
}
