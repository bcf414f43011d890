/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

import dev.switchboard.orchestrator.analysis.Gap.Area;
import dev.switchboard.orchestrator.analysis.Gap.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.orchestrator.analysis.FixtureRepository.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gaps against the gate thresholds, and the agents that close them. */
class GapDetectorTest
{
    @Test
    void findsEveryGapInTheMixedFixtureWithItsMeasurementAndThreshold(@TempDir final Path root) throws IOException
    {
        final List<Gap> gaps = GapDetector.detect(RepositoryAnalyzer.analyze(FixtureRepository.mixed(root)));
        assertEquals(List.of(Area.COVERAGE, Area.DOCUMENTATION, Area.COMPLEXITY, Area.DUPLICATION, Area.SECURITY,
            Area.SECURITY), gaps.stream().map(Gap::area).toList());
        assertEquals(List.of(Severity.MEDIUM, Severity.MEDIUM, Severity.MEDIUM, Severity.HIGH, Severity.MEDIUM,
            Severity.LOW), gaps.stream().map(Gap::severity).toList());
        assertEquals(List.of(OptionalDouble.of(75.0), OptionalDouble.of(75.0), OptionalDouble.of(10),
            OptionalDouble.of(100.0 * 16 / 58), OptionalDouble.of(1), OptionalDouble.of(1)),
            gaps.stream().map(Gap::measured).toList());
        assertEquals(List.of(80.0, 100.0, 10.0, 5.0, 0.0, 0.0), gaps.stream().map(Gap::threshold).toList());
        assertTrue(gaps.get(4).message().contains("NPM"), gaps.get(4).message());
        assertTrue(gaps.get(5).message().contains("left-pad '^1.3.0' in web/package.json"), gaps.get(5).message());
    }

    @Test
    void recommendsEachAgentOnceInTheOrderOfItsFirstGap(@TempDir final Path root) throws IOException
    {
        final List<Gap> gaps = GapDetector.detect(RepositoryAnalyzer.analyze(FixtureRepository.mixed(root)));
        assertEquals(List.of(AgentCapabilities.TESTBED, AgentCapabilities.SCRIBE, AgentCapabilities.REFACTORER,
            AgentCapabilities.AUDITOR), List.copyOf(GapDetector.recommendedAgents(gaps)));
    }

    @Test
    void codeWithoutTestsOrCoverageIsATestingGap(@TempDir final Path root) throws IOException
    {
        write(root, "Main.java", "/** Main. */ public class Main { }\n");
        final List<Gap> gaps = GapDetector.detect(RepositoryAnalyzer.analyze(root));
        assertEquals(List.of(Area.TESTS, Area.COVERAGE), gaps.stream().map(Gap::area).toList());
        assertEquals(Severity.HIGH, gaps.getFirst().severity());
        assertEquals(OptionalDouble.empty(), gaps.get(1).measured());
        assertEquals(List.of(AgentCapabilities.TESTBED), List.copyOf(GapDetector.recommendedAgents(gaps)));
    }

    @Test
    void repositoryMeetingEveryGateHasNoGapsAndNeedsNoAgents(@TempDir final Path root) throws IOException
    {
        write(root, "src/main/java/ok/Fine.java", "package ok;\n/** Fine. */\npublic class Fine\n{\n" +
            "    /** @return one */\n    public int one()\n    {\n        return 1;\n    }\n}\n");
        write(root, "src/test/java/ok/FineTest.java", "package ok;\nclass FineTest\n{\n}\n");
        write(root, "lcov.info", "LF:10\nLH:9\n");
        final List<Gap> gaps = GapDetector.detect(RepositoryAnalyzer.analyze(root));
        assertEquals(List.of(), gaps);
        assertTrue(GapDetector.recommendedAgents(gaps).isEmpty());
    }

    @Test
    void everyAreaNamesTheAgentThatClosesIt()
    {
        assertEquals(AgentCapabilities.TESTBED, Area.TESTS.agent());
        assertEquals(AgentCapabilities.TESTBED, Area.COVERAGE.agent());
        assertEquals(AgentCapabilities.SCRIBE, Area.DOCUMENTATION.agent());
        assertEquals(AgentCapabilities.REFACTORER, Area.COMPLEXITY.agent());
        assertEquals(AgentCapabilities.REFACTORER, Area.DUPLICATION.agent());
        assertEquals(AgentCapabilities.OPTIMIZER, Area.PERFORMANCE.agent());
        assertEquals(AgentCapabilities.AUDITOR, Area.SECURITY.agent());
    }
}
