/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code errors} shows a router's distinct error log: an error that happened three times is one line with its count,
 * its first message, and its first and last time.
 */
class ErrorsCommandTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aRepeatedErrorIsOneEntryWithItsCount() throws Exception
    {
        final Path planted = Files.createSymbolicLink(dir.resolve("planted"), dir.resolve("elsewhere"));
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), new IpcContext().underDirectory(dir)))
        {
            // A file this process refuses three times (a symbolic link where one of its files should be): each refusal
            // goes to the process's counters file, the router's.
            for (int i = 0; i < 3; i++)
            {
                assertThrows(RefusedFileException.class, () -> OwnedFiles.processDefault().checkOurs(planted));
                Thread.sleep(5);
            }
            assertEquals(0, run("errors", "--json", "--shm-dir", dir.resolve("shm").toString()), err.toString());
            final JsonNode processes = JSON.readTree(out.toString()).get("processes");
            assertEquals(1, processes.size(), out.toString());
            final JsonNode routerNode = processes.get(0);
            assertEquals("router", routerNode.get("role").asText());
            assertEquals(ProcessHandle.current().pid(), routerNode.get("pid").asLong());
            JsonNode symlink = null;
            for (final JsonNode e : routerNode.get("errors"))
            {
                if (e.get("kind").asText().equals("file refused: SYMLINK"))
                {
                    symlink = e;
                }
            }
            assertTrue(symlink != null, out.toString());
            assertEquals(3, symlink.get("count").asLong());
            assertTrue(symlink.get("message").asText().contains(planted.toString()), symlink.toString());
            assertTrue(symlink.get("last_ms").asLong() > symlink.get("first_ms").asLong(), symlink.toString());

            assertEquals(0, run("errors", "--shm-dir", dir.resolve("shm").toString()), err.toString());
            final String text = out.toString();
            assertTrue(text.contains("3 x file refused: SYMLINK"), text);
            assertTrue(text.contains("ROUTER " + dir.getFileName() + " (pid " + ProcessHandle.current().pid() +
                ", running)"), text);
        }
        assertEquals(0, run("errors", "--shm-dir", dir.resolve("shm").toString()));
        assertTrue(out.toString().startsWith("switchboard errors: 0 error kinds in 0 processes"), out.toString());
    }

    private int run(final String... args)
    {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
