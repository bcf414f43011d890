/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.orchestrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.analysis.RepositoryAnalyzer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan benchmark's input: a repository of the size asked for, the same for the same seed, with real gaps. */
@Tag("slow")
class SyntheticRepositoryTest
{
    @Test
    void writesExactlyTheFilesAskedForAndTheAnalyzerCountsThem(@TempDir final Path dir) throws IOException
    {
        assertEquals(1_000, SyntheticRepository.generate(dir, 1_000, 7));

        assertEquals(1_000, files(dir).size());
        final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(dir);
        assertEquals(1_000, analysis.structure().totalFiles());
        assertEquals(976, analysis.structure().byExtension().get("java"));
        assertTrue(analysis.tests().files() >= 190, "about a fifth are tests: " + analysis.tests());
        assertTrue(analysis.apiDocs().total() > analysis.apiDocs().documented(), "some public API undocumented");
        assertTrue(analysis.apiDocs().documented() > 0, "some documented");
    }

    @Test
    void theSameSeedGivesTheSameBytes(@TempDir final Path dir) throws IOException
    {
        SyntheticRepository.generate(dir.resolve("a"), 100, 42);
        SyntheticRepository.generate(dir.resolve("b"), 100, 42);
        SyntheticRepository.generate(dir.resolve("c"), 100, 43);

        final List<Path> a = files(dir.resolve("a"));
        boolean anyDiffers = false;
        for (final Path file : a)
        {
            final Path relative = dir.resolve("a").relativize(file);
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("b").resolve(relative)),
                relative.toString());
            anyDiffers |= !java.util.Arrays.equals(Files.readAllBytes(file),
                Files.readAllBytes(dir.resolve("c").resolve(relative)));
        }
        assertTrue(anyDiffers, "another seed gives other content");
    }

    @Test
    void refusesASizeOutsideItsLimits(@TempDir final Path dir)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SyntheticRepository.generate(dir, SyntheticRepository.MIN_FILES - 1, 1));
        assertTrue(e.getMessage().contains(Integer.toString(SyntheticRepository.MIN_FILES - 1)), e.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> SyntheticRepository.generate(dir, SyntheticRepository.MAX_FILES + 1, 1));
    }

    private static List<Path> files(final Path dir) throws IOException
    {
        try (Stream<Path> s = Files.walk(dir))
        {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
