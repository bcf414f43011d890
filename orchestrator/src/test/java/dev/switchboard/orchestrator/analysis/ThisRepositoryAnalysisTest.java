/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Analyses Switchboard itself: a real multi-module Maven repository. Timing is printed, never asserted. */
@Tag("slow")
class ThisRepositoryAnalysisTest
{
    @Test
    void switchboardIsAMavenProjectWithMoreThanAHundredJavaFiles() throws IOException
    {
        final long start = System.nanoTime();
        final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(projectRoot());
        System.out.printf("analysed %s in %d ms: %s, gaps %s%n", analysis.root(),
            (System.nanoTime() - start) / 1_000_000, analysis.metrics(),
            GapDetector.recommendedAgents(GapDetector.detect(analysis)));
        assertTrue(analysis.projectTypes().contains(ProjectType.MAVEN), analysis.projectTypes()::toString);
        assertTrue(analysis.structure().byLanguage().getOrDefault("Java", 0) > 100,
            analysis.structure().byLanguage()::toString);
        assertTrue(analysis.structure().modules().contains("orchestrator"), analysis.structure().modules()::toString);
        assertFalse(analysis.limits().truncated());
        assertTrue(analysis.complexity().methods() > 0);
    }

    private static Path projectRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isDirectory(dir.resolve("orchestrator")) && Files.isRegularFile(dir.resolve("pom.xml")))
            {
                return dir;
            }
        }
        throw new IllegalStateException("no directory containing orchestrator/ and pom.xml above " +
            Path.of("").toAbsolutePath());
    }
}
