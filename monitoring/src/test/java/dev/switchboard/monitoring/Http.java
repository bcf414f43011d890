/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs on a test's server. */
final class Http
{
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http()
    {
    }

    static HttpResponse<String> get(final MonitoringServer server, final String path)
    {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).timeout(Duration.ofSeconds(10))
            .GET().build());
    }

    static HttpResponse<String> send(final HttpRequest request)
    {
        try
        {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static MonitoringContext anyPort(final TestSnapshots snapshots)
    {
        return new MonitoringContext().port(MonitoringContext.ANY_PORT).host("127.0.0.1")
            .epochClock(snapshots.clock::get).shmDir(java.nio.file.Path.of("/dev/shm/test"));
    }
}
