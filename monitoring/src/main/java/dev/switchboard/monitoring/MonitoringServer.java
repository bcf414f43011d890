/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.monitoring.health.Readiness;
import dev.switchboard.monitoring.health.StuckRecordWatch;
import dev.switchboard.monitoring.metrics.MetricNames;
import dev.switchboard.monitoring.metrics.SwitchboardCollector;
import dev.switchboard.monitoring.status.Json;
import dev.switchboard.monitoring.status.StatusSampler;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The router's HTTP side, on a JDK {@link HttpServer}:
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>path</th><th>answers</th></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus exposition (text, OpenMetrics or protobuf, as asked), made at scrape
 *       time from the counters files by {@link SwitchboardCollector}</td></tr>
 *   <tr><td>{@code /health/live}</td><td>200 while the server runs</td></tr>
 *   <tr><td>{@code /health/ready}</td><td>200 when {@link Readiness} passes, else 503; a JSON body names each check
 *       and what is not ready</td></tr>
 *   <tr><td>{@code /}</td><td>the live status page (HTML, JavaScript and CSS from this jar, nothing from outside)</td></tr>
 *   <tr><td>{@code /events}</td><td>server-sent events: the status as one JSON object a sample interval</td></tr>
 *   <tr><td>{@code /status.json}</td><td>the latest status, once</td></tr>
 * </table>
 * Nothing here touches a hot path: every answer reads the counters files (shared memory that the processes write with
 * release stores) or state the router and orchestrator publish.
 *
 * <p>Threads: the HTTP server's pool (one thread per open {@code /events} stream, at most
 * {@link MonitoringContext#maxEventStreams()}, plus two for everything else) and the status sampler's. All daemons.
 * Thread-safety: start and close from one thread.
 */
public final class MonitoringServer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(MonitoringServer.class.getName());
    private static final String PAGE = "/dev/switchboard/monitoring/page/";
    private static final Map<String, String> STATIC_FILES = Map.of(
        "/", "index.html",
        "/index.html", "index.html",
        "/status.js", "status.js",
        "/status.css", "status.css");
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final MonitoringContext context;
    private final HttpServer server;
    private final ExecutorService threads;
    private final StatusSampler sampler;
    private final Readiness readiness;
    private final CountersSource counters;
    private final Semaphore streams;

    private MonitoringServer(final Builder builder) throws IOException
    {
        this.context = builder.context;
        this.counters = Objects.requireNonNull(builder.counters, "counters");
        final StuckRecordWatch stuck = new StuckRecordWatch(context.stuckWindowMs());
        this.readiness = new Readiness(context, builder.router, stuck);
        final PrometheusRegistry registry = new PrometheusRegistry();
        final Counter readFailures = Counter.builder()
            .name(MetricNames.READ_FAILURES.replaceFirst("_total$", ""))
            .help("Scrapes or status samples whose counters files could not be read (their metrics were left out).")
            .build();
        // the registry scrapes in registration order: the collector first, so a scrape counts its own failure
        registry.register(new SwitchboardCollector(context, counters, builder.router, builder.orchestrator, readiness,
            readFailures));
        registry.register(readFailures);
        this.sampler = new StatusSampler(context, counters, builder.router, builder.orchestrator, readiness,
            readFailures::inc);
        this.streams = new Semaphore(context.maxEventStreams());
        final int serverNumber = SERVERS.incrementAndGet();
        final AtomicInteger threadNumber = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(context.maxEventStreams() + 2, runnable ->
        {
            final Thread thread = new Thread(runnable, "switchboard-http-" + serverNumber + "-" +
                threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            server = HttpServer.create(new InetSocketAddress(context.host(), context.port()), 16);
        }
        catch (final IOException ex)
        {
            threads.shutdownNow();
            throw new IOException("cannot listen on " + context.host() + ":" + context.port() + " (" +
                MonitoringContext.PORT_PROPERTY + "): " + ex.getMessage(), ex);
        }
        server.setExecutor(threads);
        final MetricsHandler metrics = new MetricsHandler(registry);
        server.createContext("/metrics", exchange -> getOnly(exchange, metrics));
        server.createContext("/health/live", exchange -> getOnly(exchange, this::live));
        server.createContext("/health/ready", exchange -> getOnly(exchange, this::ready));
        server.createContext("/events", exchange -> getOnly(exchange, this::events));
        server.createContext("/status.json", exchange -> getOnly(exchange, this::status));
        server.createContext("/", exchange -> getOnly(exchange, this::staticFile));
        sampler.start();
        server.start();
    }

    /**
     * @param context the settings; {@link MonitoringContext#conclude() concluded} here.
     * @return a builder for a server with them.
     */
    public static Builder builder(final MonitoringContext context)
    {
        return new Builder(context);
    }

    /** @return the port it listens on (the one chosen when {@link MonitoringContext#ANY_PORT} was asked for). */
    public int port()
    {
        return server.getAddress().getPort();
    }

    /** @return its base address, e.g. {@code http://127.0.0.1:9002/}. */
    public String url()
    {
        final String host = context.host().contains(":") ? "[" + context.host() + "]" : context.host();
        return "http://" + ("0.0.0.0".equals(host) || "[::]".equals(host) ? "127.0.0.1" : host) + ":" + port() + "/";
    }

    /** @return its readiness, as {@code /health/ready} evaluates it. */
    public Readiness readiness()
    {
        return readiness;
    }

    private static void getOnly(final HttpExchange exchange, final HttpHandler handler) throws IOException
    {
        try (exchange)
        {
            final String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method))
            {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "GET or HEAD only\n");
                return;
            }
            try
            {
                handler.handle(exchange);
            }
            catch (final RuntimeException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "answering " + exchange.getRequestURI() + " failed", ex);
                if (exchange.getResponseCode() == -1)
                {
                    send(exchange, 500, "text/plain; charset=utf-8", "cannot answer " +
                        exchange.getRequestURI().getPath() + ": " + ex + "\n");
                }
            }
        }
        catch (final IOException ex)
        {
            // a client that went away mid-answer is no news
            LOG.log(System.Logger.Level.DEBUG, "answering " + exchange.getRequestURI() + " failed", ex);
        }
    }

    private void live(final HttpExchange exchange) throws IOException
    {
        send(exchange, 200, "application/json", "{\"live\":true}\n");
    }

    private void ready(final HttpExchange exchange) throws IOException
    {
        java.util.List<dev.switchboard.counters.file.CountersSnapshot> snapshots = null;
        String problem = null;
        try
        {
            snapshots = counters.read();
        }
        catch (final RuntimeException ex)
        {
            problem = String.valueOf(ex.getMessage());
        }
        final Readiness.Report report = readiness.evaluate(snapshots, problem, context.epochClock().getAsLong());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, report.ready() ? 200 : 503, "application/json", Json.write(report.toMap()) + "\n");
    }

    private void status(final HttpExchange exchange) throws IOException
    {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, 200, "application/json", sampler.latestSample().json() + "\n");
    }

    /** One JSON snapshot a sample interval, as {@code data:} lines, until the client leaves or the server stops. */
    private void events(final HttpExchange exchange) throws IOException
    {
        if (!streams.tryAcquire())
        {
            send(exchange, 503, "text/plain; charset=utf-8", "too many status pages open (" +
                MonitoringContext.MAX_EVENT_STREAMS_PROPERTY + "=" + context.maxEventStreams() + ")\n");
            return;
        }
        try
        {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            if ("HEAD".equals(exchange.getRequestMethod()))
            {
                return;
            }
            final OutputStream out = exchange.getResponseBody();
            out.write(("retry: " + Math.max(1000, context.sampleIntervalMs()) + "\n\n").getBytes(StandardCharsets.UTF_8));
            long seen = 0;
            StatusSampler.Sample sample = sampler.latestSample();
            while (!sampler.isClosed())
            {
                if (sample != null)
                {
                    out.write(("data: " + sample.json() + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    seen = Math.max(seen, sample.sequence());
                }
                else
                {
                    // a comment line keeps proxies from closing a quiet stream, and finds a client that left
                    out.write(":\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                sample = sampler.awaitAfter(seen, Math.max(2_000, 3 * context.sampleIntervalMs()));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            streams.release();
        }
    }

    private void staticFile(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        final String file = STATIC_FILES.get(path);
        if (file == null)
        {
            send(exchange, 404, "text/plain; charset=utf-8", "no " + path + " here: try /, /metrics, " +
                "/health/live, /health/ready, /events or /status.json\n");
            return;
        }
        final byte[] body;
        try (InputStream in = MonitoringServer.class.getResourceAsStream(PAGE + file))
        {
            if (in == null)
            {
                throw new UncheckedIOException(new IOException("the jar lacks " + PAGE + file));
            }
            body = in.readAllBytes();
        }
        final String type = file.endsWith(".html") ? "text/html; charset=utf-8" : file.endsWith(".js") ?
            "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; connect-src 'self'; " +
            "img-src 'self' data:; style-src 'self'; script-src 'self'");
        send(exchange, 200, type, body);
    }

    private static void send(final HttpExchange exchange, final int status, final String type, final String body)
        throws IOException
    {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(final HttpExchange exchange, final int status, final String type, final byte[] body)
        throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", type);
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head)
        {
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    /** Stops the sampler (which ends every {@code /events} stream), then the server, then its threads. */
    @Override
    public void close()
    {
        sampler.close();
        server.stop(0);
        threads.shutdownNow();
        try
        {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** What the server serves, then {@link #start()}. */
    public static final class Builder
    {
        private final MonitoringContext context;
        private CountersSource counters;
        private RouterView router;
        private OrchestratorView orchestrator;

        private Builder(final MonitoringContext context)
        {
            this.context = Objects.requireNonNull(context, "context");
        }

        /**
         * @param source the processes' counters: the counters files, or snapshots made by a test.
         * @return this.
         */
        public Builder counters(final CountersSource source)
        {
            this.counters = source;
            return this;
        }

        /**
         * @param view what the router this server runs in knows of itself; leave it out outside a router.
         * @return this.
         */
        public Builder router(final RouterView view)
        {
            this.router = view;
            return this;
        }

        /**
         * @param view the orchestrator of this process; leave it out when none runs here.
         * @return this.
         */
        public Builder orchestrator(final OrchestratorView view)
        {
            this.orchestrator = view;
            return this;
        }

        /**
         * Bind and start.
         *
         * @return the running server.
         * @throws IOException when it cannot listen (the port is taken...), naming the address and the property.
         * @throws IllegalStateException when the context says there is no server ({@code -1} or {@code off}).
         */
        public MonitoringServer start() throws IOException
        {
            context.conclude();
            if (!context.enabled())
            {
                throw new IllegalStateException(MonitoringContext.PORT_PROPERTY + " is off: no server to start");
            }
            return new MonitoringServer(this);
        }
    }
}
