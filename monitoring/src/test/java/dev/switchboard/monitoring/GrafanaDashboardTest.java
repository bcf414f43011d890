/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.monitoring.metrics.MetricNames;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard in {@code grafana/switchboard.json} is provisionable as it is (its data source is a variable,
 * no uid is written in it) and every PromQL query in it names only metrics that the exporter really serves: the
 * exporter runs on hand-made counters, the router's and the orchestrator's state, is scraped, and the names it served
 * are compared with those parsed out of each query.
 */
class GrafanaDashboardTest
{
    static final Path DASHBOARD = Path.of("grafana", "switchboard.json");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
        "bool", "offset", "and", "or", "unless", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private static JsonNode dashboard;
    private static Set<String> served;

    @BeforeAll
    static void loadAndScrape() throws Exception
    {
        dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        final TestSnapshots snapshots = TestSnapshots.typical();
        snapshots.process(CountersSnapshot.Role.ORCHESTRATOR, "feature", 300);
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots).routerPid(100))
            .counters(snapshots).router(TestSnapshots.acceptingRouter()).orchestrator(TestSnapshots.orchestrator())
            .start())
        {
            served = new TreeSet<>();
            for (final String line : Http.get(server, "/metrics").body().lines().toList())
            {
                if (!line.isBlank() && !line.startsWith("#"))
                {
                    final Matcher name = IDENTIFIER.matcher(line);
                    assertTrue(name.lookingAt(), line);
                    served.add(name.group());
                }
            }
        }
    }

    /**
     * The metric names a PromQL expression reads: identifiers that are not functions or aggregations (followed by a
     * parenthesis), keywords, label names in matchers or grouping clauses, durations, strings or Grafana variables.
     */
    static Set<String> metricNames(final String expr)
    {
        String text = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("'(\\\\.|[^'\\\\])*'", "''");
        text = text.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        text = text.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        text = text.replaceAll("\\$\\{?[a-zA-Z_]+}?", " ");
        final Set<String> names = new TreeSet<>();
        final Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find())
        {
            final int before = identifier.start() - 1;
            if (before >= 0 && (Character.isDigit(text.charAt(before)) || text.charAt(before) == '.'))
            {
                continue; // a number's exponent or suffix
            }
            final String rest = text.substring(identifier.end()).stripLeading();
            if (rest.startsWith("(") || KEYWORDS.contains(identifier.group().toLowerCase(java.util.Locale.ROOT)))
            {
                continue;
            }
            names.add(identifier.group());
        }
        return names;
    }

    private static List<JsonNode> panels()
    {
        final List<JsonNode> all = new ArrayList<>();
        for (final JsonNode panel : dashboard.path("panels"))
        {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    @Test
    void theParserFindsMetricNamesAndNothingElse()
    {
        assertEquals(Set.of("x_bucket"), metricNames("histogram_quantile(0.99, sum by (le, histogram) " +
            "(rate(x_bucket{role=\"agent\",kind=~\"a|b\"}[$__rate_interval])))"));
        assertEquals(Set.of("a", "b_total"), metricNames("count(a{b=\"c\"} == 1) or vector(0) + " +
            "sum without (pid) (increase(b_total[5m])) * 1e3"));
        assertEquals(Set.of("up"), metricNames("up"));
    }

    @Test
    void theDataSourceIsAVariableAndNoUidIsWrittenIn()
    {
        final JsonNode variables = dashboard.path("templating").path("list");
        final List<String> datasourceVariables = new ArrayList<>();
        variables.forEach(v ->
        {
            if ("datasource".equals(v.path("type").asText()) && "prometheus".equals(v.path("query").asText()))
            {
                datasourceVariables.add(v.path("name").asText());
            }
        });
        assertEquals(List.of("datasource"), datasourceVariables);
        final List<String> literal = new ArrayList<>();
        collectDatasourceUids(dashboard, "", literal);
        assertEquals(List.of(), literal, "data sources named by uid instead of the variable");
        assertFalse(dashboard.has("__inputs"), "provisioned as is: no import-time inputs");
        assertTrue(dashboard.path("id").isMissingNode() || dashboard.path("id").isNull());
    }

    private static void collectDatasourceUids(final JsonNode node, final String path, final List<String> literal)
    {
        if (node.isObject())
        {
            node.properties().forEach(field ->
            {
                if ("datasource".equals(field.getKey()) && field.getValue().isObject() &&
                    !"${datasource}".equals(field.getValue().path("uid").asText()))
                {
                    literal.add(path + "/datasource: " + field.getValue());
                }
                collectDatasourceUids(field.getValue(), path + "/" + field.getKey(), literal);
            });
        }
        else if (node.isArray())
        {
            for (int i = 0; i < node.size(); i++)
            {
                collectDatasourceUids(node.get(i), path + "[" + i + "]", literal);
            }
        }
    }

    @Test
    void everyQueryNamesOnlyMetricsTheExporterServes()
    {
        int queries = 0;
        final List<String> unknown = new ArrayList<>();
        for (final JsonNode panel : panels())
        {
            for (final JsonNode target : panel.path("targets"))
            {
                final String expr = target.path("expr").asText();
                final Set<String> names = metricNames(expr);
                assertFalse(names.isEmpty(), "panel '" + panel.path("title").asText() + "' queries no metric: " +
                    expr);
                queries++;
                for (final String name : names)
                {
                    if (!served.contains(name))
                    {
                        unknown.add("'" + panel.path("title").asText() + "': " + name + " in " + expr);
                    }
                }
            }
        }
        assertTrue(queries >= 20, "queries: " + queries);
        assertEquals(List.of(), unknown, "served: " + served);
    }

    @Test
    void thePanelsCoverTiersBackPressureLatencyAgentsWorkflowsAndGates()
    {
        final String exprs = String.join("\n", panels().stream().flatMap(p -> {
            final List<String> list = new ArrayList<>();
            p.path("targets").forEach(t -> list.add(t.path("expr").asText()));
            return list.stream();
        }).toList());
        assertTrue(exprs.contains("sum by (tier) (rate(" + MetricNames.MESSAGES), exprs);
        assertTrue(exprs.contains("kind=\"back_pressured\""), exprs);
        assertTrue(exprs.contains("histogram_quantile(0.99, sum by (le, histogram) (rate(" + MetricNames.LATENCY +
            "_bucket"), exprs);
        assertTrue(exprs.contains(MetricNames.UP + "{role=\"agent\"}"), exprs);
        assertTrue(exprs.contains(MetricNames.WORKFLOWS), exprs);
        assertTrue(exprs.contains(MetricNames.GATE_STATE) && exprs.contains(MetricNames.GATE_EVALUATIONS), exprs);
        assertTrue(exprs.contains("event=\"" + dev.switchboard.monitoring.metrics.CounterLabel.identifier(
            RouterCounter.INBOX_RECORDS_UNBLOCKED.label()) + "\""), exprs);
        assertTrue(exprs.contains("event=\"" + dev.switchboard.monitoring.metrics.CounterLabel.identifier(
            RouterCounter.ROUTER_STALLS.label()) + "\""), exprs);
    }

    @Test
    void everyFamilyTheExporterDocumentsIsServedWhenItHasSomethingToSay()
    {
        for (final String family : MetricNames.ALL)
        {
            final boolean found = served.contains(family) || served.contains(family + "_bucket");
            assertTrue(found, family + " is in MetricNames but was not served; served: " + served);
        }
    }
}
