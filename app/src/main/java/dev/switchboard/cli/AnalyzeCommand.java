/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.orchestrator.analysis.Gap;
import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard analyze DIR [--json]}: analyses a repository and prints what was found, the gaps against the
 * default gates and the agents that would close them.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Analyse a repository: project types, files, tests, coverage, API docs, complexity, " +
        "duplication, gaps and the agents that would close them.")
final class AnalyzeCommand implements Callable<Integer>
{
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the repository directory")
    private Path dir;

    @Option(names = "--json", description = "print the analysis as JSON")
    private boolean json;

    @Override
    public Integer call() throws Exception
    {
        final RepositoryAnalysis analysis = RepositoryArgument.analyze(dir, spec.commandLine());
        final List<Gap> gaps = GapDetector.detect(analysis);
        final PrintWriter out = spec.commandLine().getOut();
        out.println(json ? JSON.writeValueAsString(toJson(analysis, gaps)) : summary(analysis, gaps));
        out.flush();
        return ExitCodes.OK;
    }

    static String summary(final RepositoryAnalysis analysis, final List<Gap> gaps)
    {
        final StringBuilder text = new StringBuilder();
        final RepositoryAnalysis.Structure structure = analysis.structure();
        line(text, "Repository", analysis.root().toString());
        line(text, "Project types", String.join(", ", new TreeSet<>(analysis.projectTypes()).stream()
            .map(Enum::name).toList()));
        line(text, "Files", structure.totalFiles() + " (" + structure.sourceFiles() + " source, " +
            structure.testFiles() + " test)");
        line(text, "Languages", structure.byLanguage().isEmpty() ? "none" : structure.byLanguage().toString());
        line(text, "Tests", analysis.tests().files() + " test files " + analysis.tests().byConvention());
        line(text, "Coverage", analysis.coverage().map(c -> percent(c.percent()) + " from " +
            String.join(", ", c.reports().stream().map(RepositoryAnalysis.CoverageReport::path).toList()))
            .orElse("not measured (no coverage report found)"));
        final RepositoryAnalysis.ApiDocs docs = analysis.apiDocs();
        line(text, "API docs", docs.total() == 0 ? "no public Java API" : percent(docs.percent()) + " (" +
            docs.documented() + " of " + docs.total() + " public types and members documented)");
        final RepositoryAnalysis.Complexity complexity = analysis.complexity();
        line(text, "Max complexity", complexity.methods() == 0 ? "no Java methods" : complexity.max() + " (" +
            complexity.methods() + " methods, mean " + String.format(Locale.ROOT, "%.1f", complexity.mean()) + ")");
        final RepositoryAnalysis.Duplication duplication = analysis.duplication();
        line(text, "Duplication", percent(duplication.percent()) + " (" + duplication.duplicatedLines() + " of " +
            duplication.totalLines() + " lines)");
        text.append("Gaps: ").append(gaps.isEmpty() ? "none" : gaps.size()).append('\n');
        for (final Gap gap : gaps)
        {
            text.append("  - ").append(gap.severity()).append(' ').append(gap.area()).append(": ")
                .append(gap.message()).append('\n');
        }
        final var agents = GapDetector.recommendedAgents(gaps);
        text.append("Recommended agents: ").append(agents.isEmpty() ? "none" : String.join(", ", agents));
        return text.toString();
    }

    static ObjectNode toJson(final RepositoryAnalysis analysis, final List<Gap> gaps)
    {
        final ObjectNode root = JSON.createObjectNode();
        root.put("root", analysis.root().toString());
        final ArrayNode types = root.putArray("projectTypes");
        new TreeSet<>(analysis.projectTypes()).forEach(type -> types.add(type.name()));
        root.set("structure", JSON.valueToTree(analysis.structure()));
        root.set("dependencies", JSON.valueToTree(analysis.dependencies()));
        root.set("tests", JSON.valueToTree(analysis.tests()));
        root.set("coverage", analysis.coverage().<com.fasterxml.jackson.databind.JsonNode>map(JSON::valueToTree)
            .orElse(root.nullNode()));
        final ObjectNode docs = JSON.valueToTree(analysis.apiDocs());
        docs.put("percent", analysis.apiDocs().percent());
        root.set("apiDocs", docs);
        root.set("complexity", JSON.valueToTree(analysis.complexity()));
        final ObjectNode duplication = JSON.valueToTree(analysis.duplication());
        duplication.put("percent", analysis.duplication().percent());
        root.set("duplication", duplication);
        root.set("limits", JSON.valueToTree(analysis.limits()));
        root.set("metrics", JSON.valueToTree(analysis.metrics()));
        final ArrayNode gapNodes = root.putArray("gaps");
        for (final Gap gap : gaps)
        {
            final ObjectNode node = gapNodes.addObject()
                .put("area", gap.area().name())
                .put("severity", gap.severity().name())
                .put("message", gap.message())
                .put("threshold", gap.threshold())
                .put("agent", gap.area().agent());
            if (gap.measured().isPresent())
            {
                node.put("measured", gap.measured().getAsDouble());
            }
            else
            {
                node.putNull("measured");
            }
        }
        final ArrayNode agents = root.putArray("recommendedAgents");
        GapDetector.recommendedAgents(gaps).forEach(agents::add);
        return root;
    }

    private static void line(final StringBuilder text, final String label, final String value)
    {
        text.append(label).append(": ").append(value).append('\n');
    }

    private static String percent(final double value)
    {
        return String.format(Locale.ROOT, "%.1f %%", value);
    }
}
