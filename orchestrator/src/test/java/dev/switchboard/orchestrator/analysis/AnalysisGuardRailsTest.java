/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.orchestrator.analysis.FixtureRepository.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limits that keep an analysis bounded and safe on any repository. */
class AnalysisGuardRailsTest
{
    @TempDir
    Path root;

    @Test
    void stopsAtTheFileLimitAndSaysSo() throws IOException
    {
        for (int i = 0; i < 5; i++)
        {
            write(root, "f" + i + ".txt", "x");
        }
        final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(root, limits(3, 1 << 20));
        assertTrue(analysis.limits().truncated());
        assertEquals(3, analysis.limits().maxFiles());
        assertEquals(3, analysis.structure().totalFiles());
    }

    @Test
    void countsButDoesNotReadFilesAboveTheSizeLimit() throws IOException
    {
        write(root, "Big.java", "class Big { void m() { if (true) { } } }\n" + "// padding\n".repeat(20));
        write(root, "Small.java", "class Small { }\n");
        final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(root, limits(100, 100));
        assertEquals(1, analysis.limits().skippedLargeFiles());
        assertEquals(2, analysis.structure().totalFiles());
        assertEquals(0, analysis.complexity().methods());
        assertEquals(1, analysis.duplication().totalLines());
    }

    @Test
    void neverFollowsSymbolicLinksOutOfTheRoot(@TempDir final Path outside) throws IOException
    {
        write(outside, "Secret.java", "public class Secret { public void leak() { } }\n");
        write(root, "Own.java", "/** Own. */ public class Own { }\n");
        Files.createSymbolicLink(root.resolve("linked-dir"), outside);
        Files.createSymbolicLink(root.resolve("Linked.java"), outside.resolve("Secret.java"));
        final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(root);
        assertEquals(2, analysis.limits().skippedSymlinks());
        assertEquals(1, analysis.structure().totalFiles());
        assertEquals(1, analysis.apiDocs().total());
    }

    @Test
    void countsUnparseableFilesAndMeasuresTheRest() throws IOException
    {
        write(root, "Broken.java", "public class Broken { void m( { }\n");
        write(root, "pom.xml", "<project><dependencies><dependency>");
        write(root, "package.json", "{ not json");
        write(root, "Fine.java", "/** Fine. */ public class Fine { }\n");
        final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(root);
        assertEquals(3, analysis.limits().parseErrors(), analysis.limits().problems()::toString);
        assertEquals(3, analysis.limits().problems().size());
        assertTrue(analysis.limits().problems().getFirst().startsWith("Broken.java: "));
        assertEquals(1, analysis.apiDocs().total());
        assertEquals(1, analysis.apiDocs().documented());
    }

    @Test
    void doesNotExpandExternalEntitiesInManifests() throws IOException
    {
        final Path secret = Files.writeString(root.resolveSibling(root.getFileName() + "-secret.txt"),
            "TOP-SECRET");
        try
        {
            write(root, "pom.xml", """
                <?xml version="1.0"?>
                <!DOCTYPE project [<!ENTITY xxe SYSTEM "%s">]>
                <project><dependencies><dependency>
                  <groupId>g</groupId><artifactId>a</artifactId><version>&xxe;</version>
                </dependency></dependencies></project>
                """.formatted(secret.toUri()));
            final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(root);
            assertFalse(analysis.dependencies().stream().anyMatch(d -> d.version().contains("TOP-SECRET")));
            assertFalse(analysis.limits().problems().stream().anyMatch(p -> p.contains("TOP-SECRET")));
        }
        finally
        {
            Files.delete(secret);
        }
    }

    @Test
    void readsCoberturaLineCountsOrFallsBackToItsRate() throws IOException
    {
        write(root, "a/coverage.xml", "<coverage line-rate=\"0.5\" lines-covered=\"1\" lines-valid=\"4\"/>");
        write(root, "b/cobertura.xml", "<coverage line-rate=\"0.9\"/>");
        final RepositoryAnalysis.Coverage coverage = RepositoryAnalyzer.analyze(root).coverage().orElseThrow();
        assertEquals(List.of(new RepositoryAnalysis.CoverageReport("cobertura", "a/coverage.xml", 25.0, 1, 4),
            new RepositoryAnalysis.CoverageReport("cobertura", "b/cobertura.xml", 90.0, -1, -1)), coverage.reports());
        assertEquals((25.0 + 90.0) / 2, coverage.percent(), 1e-9);
    }

    @Test
    void rejectsLimitsThatCannotBeMet()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> limits(0, 1));
        assertTrue(e.getMessage().contains("were 0, 1"), e.getMessage());
    }

    private static RepositoryAnalyzer.Limits limits(final int maxFiles, final long maxFileBytes)
    {
        return new RepositoryAnalyzer.Limits(maxFiles, maxFileBytes, 50, 10, 6);
    }
}
