/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretFileTest
{
    @TempDir
    Path dir;

    @Test
    void createWritesAnOwnerOnlyFileThatLoadsToTheSameDerivations() throws Exception
    {
        final Path path = dir.resolve("secret");
        final SecretFile created = SecretFile.create(path);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(SecretFile.DEFAULT_BYTES, Files.size(path));
        final SecretFile loaded = SecretFile.load(path);
        assertArrayEquals(created.derive("register", new byte[] {1, 2}), loaded.derive("register", new byte[] {1, 2}));
        assertFalse(SecretFile.matches(loaded.derive("register", new byte[] {1, 2}),
            loaded.derive("link", new byte[] {1, 2})));
        assertFalse(SecretFile.matches(loaded.derive("x", new byte[] {1}, new byte[] {2}),
            loaded.derive("x", new byte[] {1, 2})), "length prefixes keep part lists apart");
        assertFalse(loaded.toString().contains("0x"));
    }

    @Test
    void createNeverOverwrites() throws Exception
    {
        final Path path = dir.resolve("secret");
        Files.writeString(path, "existing-existing-existing");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> SecretFile.create(path));
        assertTrue(ex.getMessage().contains("cannot create"), ex.getMessage());
        assertEquals("existing-existing-existing", Files.readString(path));
    }

    @Test
    void loadRefusesGroupReadableLinksDirectoriesAndBadSizes() throws Exception
    {
        final Path path = dir.resolve("secret");
        SecretFile.create(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r-----"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecretFile.load(path)).getMessage()
            .contains("rw-r-----"));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));

        final Path link = dir.resolve("link");
        Files.createSymbolicLink(link, path);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecretFile.load(link)).getMessage()
            .contains("symbolic link"));

        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecretFile.load(dir)).getMessage()
            .contains("not a regular file"));

        final Path small = dir.resolve("small");
        Files.write(small, new byte[4]);
        Files.setPosixFilePermissions(small, PosixFilePermissions.fromString("rw-------"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecretFile.load(small)).getMessage()
            .contains("4 bytes"));

        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecretFile.load(dir.resolve("none")))
            .getMessage().contains("does not exist"));
    }
}
