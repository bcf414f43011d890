/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.ipc.files.FileRefusal;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.router.RouterContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's runtime dir and sockets: created owner-only, a stale socket of ours replaced, anything else at a
 * socket path or a runtime dir others can write refused before the router starts, and left untouched.
 */
class RuntimeDirFilesTest
{
    @TempDir
    Path dir;

    @Test
    void theRuntimeDirAndTheControlSocketAreOwnerOnly() throws Exception
    {
        final Path runtime = dir.resolve("runtime");
        final IpcContext ipc = new IpcContext().underDirectory(runtime);
        try (RouterProcess ignored = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            client.register("Agent");
            assertEquals("rwx------", mode(runtime));
            assertEquals("rw-------", mode(ipc.socketPath()));
            assertEquals("rwx------", mode(ipc.shmDir()));
        }
    }

    @Test
    void aStaleSocketOfOursIsReplaced() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            stale.bind(UnixDomainSocketAddress.of(ipc.socketPath()));
        }
        assertTrue(Files.exists(ipc.socketPath(), LinkOption.NOFOLLOW_LINKS), "a closed server leaves its socket file");

        try (RouterProcess ignored = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            client.register("Agent");
            assertTrue(client.agentId() > 0);
        }
    }

    @Test
    void aRegularFileAtTheSocketPathStopsTheRouterAndIsLeftAlone() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        final Path planted = Files.writeString(ipc.socketPath(), "not a socket");
        final long before = OwnedFiles.refusals(FileRefusal.FOREIGN);

        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> RouterProcess.launch(new RouterContext(), ipc).close());

        assertTrue(ex.getMessage().contains("not a socket") && ex.getMessage().contains(planted.toString()), ex.getMessage());
        assertEquals(before + 1, OwnedFiles.refusals(FileRefusal.FOREIGN));
        assertEquals("not a socket", Files.readString(planted));
    }

    @Test
    void aSymbolicLinkAtTheSocketPathIsRefusedAndItsTargetUntouched() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir.resolve("runtime"));
        Files.createDirectory(dir.resolve("runtime"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final Path target = Files.writeString(dir.resolve("target"), "precious");
        Files.createSymbolicLink(ipc.socketPath(), target);

        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> RouterProcess.launch(new RouterContext(), ipc).close());

        assertTrue(ex.getMessage().contains("symbolic link"), ex.getMessage());
        assertEquals("precious", Files.readString(target));
        assertTrue(Files.isSymbolicLink(ipc.socketPath()));
    }

    @Test
    void aRuntimeDirOthersCanWriteIsRefused() throws Exception
    {
        final Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        final IpcContext ipc = new IpcContext().underDirectory(open);

        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> RouterProcess.launch(new RouterContext(), ipc).close());

        assertTrue(ex.getMessage().contains("runtime dir") && ex.getMessage().contains("777"), ex.getMessage());
        assertEquals("rwxrwxrwx", mode(open), "an existing dir's mode is not changed");
    }

    private static String mode(final Path path) throws Exception
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
