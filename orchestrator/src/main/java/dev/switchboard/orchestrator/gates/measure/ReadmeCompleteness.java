/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Metric;

/**
 * Whether the README at the root of a tree has what a newcomer needs. Required, each one fifth of the score:
 * <ol>
 *   <li>a title: a first heading ({@code # ...}, or {@code = ...} in AsciiDoc);</li>
 *   <li>a description: a paragraph of prose before the second heading;</li>
 *   <li>how to build or install: a heading with install, build, setup, getting started or quick start;</li>
 *   <li>how to use it: a heading with usage, use, run, example(s), command(s), getting started or quick start;</li>
 *   <li>how to test it: a heading with test or testing.</li>
 * </ol>
 * Headings are matched by word, case-insensitively; lines in fenced code blocks are not headings. Stateless.
 */
final class ReadmeCompleteness
{
    private static final List<String> NAMES = List.of("README.md", "README.adoc", "README.rst", "README.txt",
        "README", "readme.md", "Readme.md");
    private static final Pattern BUILD = words("install", "installation", "installing", "build", "building", "setup",
        "getting started", "quick start", "quickstart", "requirements");
    private static final Pattern USAGE = words("usage", "use", "using", "run", "running", "example", "examples",
        "command", "commands", "getting started", "quick start", "quickstart", "how to");
    private static final Pattern TESTS = words("test", "tests", "testing");
    /** What would satisfy each section, for the details. */
    private static final Map<String, String> HINTS = hints();

    private ReadmeCompleteness()
    {
    }

    /**
     * @param root the tree.
     * @return the share of required sections present, with the missing ones named.
     * @throws IOException when the README cannot be read.
     */
    static Measurement measure(final Path root) throws IOException
    {
        Path readme = null;
        for (final String name : NAMES)
        {
            if (Files.isRegularFile(root.resolve(name)))
            {
                readme = root.resolve(name);
                break;
            }
        }
        if (readme == null)
        {
            return Measurement.of(Metric.README_COMPLETE_PERCENT, 0, "no README at the root of the tree")
                .withDetails(List.of("missing: README.md at the root, with " + String.join(", ", HINTS.keySet())));
        }
        final List<String> headings = new ArrayList<>();
        boolean description = false;
        boolean inCode = false;
        for (final String line : Files.readAllLines(readme, StandardCharsets.UTF_8))
        {
            final String text = line.strip();
            if (text.startsWith("```") || text.equals("----"))
            {
                inCode = !inCode;
            }
            else if (inCode)
            {
                continue;
            }
            else if (text.startsWith("#") || text.startsWith("="))
            {
                headings.add(text.replaceFirst("^[#=]+", "").strip().toLowerCase(Locale.ROOT));
            }
            else if (headings.size() <= 1 && text.length() >= 20 && Character.isLetter(text.charAt(0)))
            {
                description = true;
            }
        }
        final List<String> missing = new ArrayList<>();
        check(!headings.isEmpty() && !headings.getFirst().isEmpty(), "title", missing);
        check(description, "description", missing);
        check(headings.stream().anyMatch(h -> BUILD.matcher(h).find()), "build/install", missing);
        check(headings.stream().anyMatch(h -> USAGE.matcher(h).find()), "usage", missing);
        check(headings.stream().anyMatch(h -> TESTS.matcher(h).find()), "tests", missing);
        final double percent = 100.0 * (5 - missing.size()) / 5;
        return Measurement.of(Metric.README_COMPLETE_PERCENT, percent, root.relativize(readme) +
            (missing.isEmpty() ? ": every required section present" : ": missing " + String.join(", ", missing)))
            .withDetails(missing.stream().map(section -> "missing: " + section + " (" + HINTS.get(section) + ")")
                .toList());
    }

    private static void check(final boolean present, final String section, final List<String> missing)
    {
        if (!present)
        {
            missing.add(section);
        }
    }

    private static Map<String, String> hints()
    {
        final Map<String, String> hints = new LinkedHashMap<>();
        hints.put("title", "a first heading naming the project");
        hints.put("description", "a paragraph of prose before the second heading");
        hints.put("build/install", "a heading such as Build, Install or Getting started");
        hints.put("usage", "a heading such as Usage, Running or Examples");
        hints.put("tests", "a heading such as Tests or Testing");
        return hints;
    }

    private static Pattern words(final String... words)
    {
        return Pattern.compile("\\b(" + String.join("|", words) + ")\\b");
    }
}
