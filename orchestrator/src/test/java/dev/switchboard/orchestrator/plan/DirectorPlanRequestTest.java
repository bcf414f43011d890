/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.analysis.RepositoryAnalyzer;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import dev.switchboard.router.RouterContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** receive's plan request to the Director, over a real router reached through its Unix socket. */
class DirectorPlanRequestTest
{
    @TempDir
    Path dir;

    private RouterProcess router;
    private IpcContext ipc;

    @BeforeEach
    void startRouter()
    {
        ipc = new IpcContext().underDirectory(dir.resolve("router"));
        router = RouterProcess.launch(new RouterContext(), ipc);
    }

    @AfterEach
    void stopRouter()
    {
        router.close();
    }

    /** A Director on its own thread and connection: answers each plan request with the plan it was given. */
    private Thread director(final String name, final String format, final String text, final List<JsonNode> requests,
        final CountDownLatch stop)
    {
        final CountDownLatch registered = new CountDownLatch(1);
        final Thread thread = Thread.ofPlatform().name("director").start(() ->
        {
            try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext()
                .connection(IpcConnection.connect(new IpcContext().underDirectory(dir.resolve("router"))))))
            {
                client.register(name, "direction");
                registered.countDown();
                final ObjectMapper mapper = new ObjectMapper();
                while (stop.getCount() > 0)
                {
                    client.poll(message ->
                    {
                        try
                        {
                            requests.add(mapper.readTree(message.payloadAsString()));
                            final byte[] answer = mapper.writeValueAsBytes(Map.of("type", "plan", "format", format,
                                "text", text));
                            final SegmentBuffer buffer = SegmentBuffer.allocate(Arena.ofAuto(), answer.length);
                            buffer.putBytes(0, answer);
                            client.respond(message, buffer, 0, answer.length);
                        }
                        catch (final java.io.IOException ex)
                        {
                            throw new IllegalStateException(ex);
                        }
                    });
                    Thread.onSpinWait();
                }
            }
        });
        try
        {
            assertTrue(registered.await(30, TimeUnit.SECONDS), "the Director registered");
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
        return thread;
    }

    @Test
    void theDirectorsMarkdownPlanReadsBackAsItsWorkflow() throws Exception
    {
        final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(PlanFixture.mavenProjectWithCoverage(
            dir.resolve("repo")));
        final WorkflowDefinition workflow = GapTasks.merge(WorkflowTemplates.bugfix(), analysis,
            GapDetector.detect(analysis));
        final String markdown = AgentPlanWriter.write(analysis, workflow, GapDetector.detect(analysis),
            QualityGates.defaults());
        final List<JsonNode> requests = new CopyOnWriteArrayList<>();
        final CountDownLatch stop = new CountDownLatch(1);
        final Thread director = director("Director", "markdown", markdown, requests, stop);
        try
        {
            final DirectorPlanRequest.Answer answer = DirectorPlanRequest.request(() -> IpcConnection.connect(
                new IpcContext().underDirectory(dir.resolve("router"))), "Director", "wf-7", 2, Duration.ofSeconds(30));

            assertEquals("markdown", answer.format());
            assertEquals(workflow, MarkdownPlan.parse(answer.text(), "Director"));
            assertEquals(1, requests.size(), requests.toString());
            assertEquals("plan-request", requests.getFirst().get("type").asText());
            assertEquals("wf-7", requests.getFirst().get("workflowId").asText());
            assertEquals(2, requests.getFirst().get("phase").asInt());
        }
        finally
        {
            stop.countDown();
            director.join(10_000);
        }
    }

    @Test
    void noDirectorOnTheRouterIsAClearErrorAfterTheTimeout()
    {
        final long start = System.nanoTime();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> DirectorPlanRequest.request(
            () -> IpcConnection.connect(new IpcContext().underDirectory(dir.resolve("router"))), "Director", "wf", 1,
            Duration.ofMillis(500)));
        assertTrue(ex.getMessage().startsWith("no agent 'Director' registered on the router within 500 ms"),
            ex.getMessage());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(500), "it waited the timeout");
    }

    @Test
    void anAnswerThatIsNotAPlanIsNamed()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> DirectorPlanRequest.parse("{\"type\":\"decision\",\"verdict\":\"SKIP\"}", "Director"));
        assertTrue(ex.getMessage().contains("expected {\"type\":\"plan\""), ex.getMessage());
        assertEquals("json", DirectorPlanRequest.parse("{\"type\":\"plan\",\"format\":\"json\",\"text\":\"{}\"}",
            "D").format());
    }
}
