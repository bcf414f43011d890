/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code --issues ID,...} resolved to the text the tasks' prompts get. Each id is looked up in the issues file
 * ({@code --issues-file}, else {@code ISSUES.md} then {@code issues.yaml} in the repository, when present): a YAML
 * or JSON list of {@code {id, title, body}}, or Markdown whose headings name the ids (the section under the heading
 * is the issue). An id the file does not hold is looked up with {@code git log --grep=ID} in the repository (the
 * subjects and bodies of the commits naming it). An id found nowhere is said to be unresolved, in the text and on
 * standard error, never dropped. Stateless.
 */
final class IssuesArgument
{
    /** Default issues files, looked for in the repository in this order. */
    static final List<String> DEFAULT_FILES = List.of("ISSUES.md", "issues.yaml", "issues.yml", "issues.json");

    /**
     * The issues resolved.
     *
     * @param text       one section per id, for the prompts; empty when no id was given.
     * @param unresolved the ids found nowhere.
     * @param source     where the ids were looked up, for people.
     */
    record Resolved(String text, List<String> unresolved, String source)
    {
    }

    private IssuesArgument()
    {
    }

    /**
     * @param ids         the ids, as given.
     * @param repo        the repository.
     * @param issuesFile  {@code --issues-file}, or null for the default files.
     * @param commandLine for usage errors.
     * @return the text of each id.
     * @throws ParameterException when {@code --issues-file} is missing or unreadable.
     */
    static Resolved resolve(final List<String> ids, final Path repo, final Path issuesFile,
        final CommandLine commandLine)
    {
        if (ids.isEmpty())
        {
            return new Resolved("", List.of(), "");
        }
        final Path file = issuesFile != null ? issuesFile : DEFAULT_FILES.stream().map(repo::resolve)
            .filter(Files::isRegularFile).findFirst().orElse(null);
        if (issuesFile != null && !Files.isRegularFile(issuesFile))
        {
            throw new ParameterException(commandLine, "--issues-file '" + issuesFile + "' is not a file " +
                "(working directory " + Path.of("").toAbsolutePath() + ")");
        }
        final Map<String, String> fromFile;
        try
        {
            fromFile = file == null ? Map.of() : read(file);
        }
        catch (final IOException | YamlEngineException | ClassCastException ex)
        {
            throw new ParameterException(commandLine, "cannot read the issues of '" + file + "': " + ex.getMessage() +
                " (expected a YAML or JSON list of {id, title, body}, or Markdown with one heading per issue)");
        }
        final StringBuilder text = new StringBuilder();
        final List<String> unresolved = new ArrayList<>();
        for (final String raw : ids)
        {
            final String id = raw.strip();
            String found = fromFile.get(id.toLowerCase(Locale.ROOT));
            String where = file == null ? "" : file.getFileName().toString();
            if (found == null)
            {
                found = gitLog(repo, id);
                where = "git log --grep=" + id;
            }
            text.append("### ").append(id).append("\n\n");
            if (found == null || found.isBlank())
            {
                unresolved.add(id);
                text.append("(unresolved: not in ").append(file == null ? "an issues file" : file.getFileName())
                    .append(" nor in any commit message of the repository)\n\n");
            }
            else
            {
                text.append(found.strip()).append("\n\n(from ").append(where).append(")\n\n");
            }
        }
        return new Resolved(text.toString().strip(), unresolved,
            (file == null ? "" : file + ", then ") + "git log --grep in " + repo.toAbsolutePath().normalize());
    }

    /** Id (lower case) to its text. */
    private static Map<String, String> read(final Path file) throws IOException
    {
        final String text = Files.readString(file, StandardCharsets.UTF_8);
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".md") || name.endsWith(".markdown") ? markdown(text) : structured(text);
    }

    private static Map<String, String> structured(final String text)
    {
        final Map<String, String> issues = new LinkedHashMap<>();
        final Object loaded = new Load(LoadSettings.builder().build()).loadFromString(text);
        final List<?> list = loaded instanceof Map<?, ?> map && map.get("issues") instanceof List<?> inner ? inner :
            (List<?>) loaded;
        for (final Object item : list == null ? List.of() : list)
        {
            final Map<?, ?> issue = (Map<?, ?>) item;
            final Object id = issue.get("id");
            if (id == null)
            {
                continue;
            }
            final String title = issue.get("title") == null ? "" : String.valueOf(issue.get("title"));
            final String body = issue.get("body") == null ? "" : String.valueOf(issue.get("body"));
            issues.put(String.valueOf(id).strip().toLowerCase(Locale.ROOT), (title + "\n\n" + body).strip());
        }
        return issues;
    }

    /** A heading naming an id opens its section, which runs to the next heading of the same or a higher level. */
    private static Map<String, String> markdown(final String text)
    {
        final Map<String, String> issues = new LinkedHashMap<>();
        final String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++)
        {
            final int level = headingLevel(lines[i]);
            if (level == 0)
            {
                continue;
            }
            final String heading = lines[i].substring(level).strip();
            final StringBuilder section = new StringBuilder(heading).append("\n\n");
            int j = i + 1;
            while (j < lines.length && (headingLevel(lines[j]) == 0 || headingLevel(lines[j]) > level))
            {
                section.append(lines[j]).append('\n');
                j++;
            }
            for (final String word : heading.split("[^A-Za-z0-9_#.-]+"))
            {
                if (!word.isEmpty())
                {
                    issues.putIfAbsent(word.replaceAll("[.#]+$", "").toLowerCase(Locale.ROOT),
                        section.toString().strip());
                }
            }
        }
        return issues;
    }

    private static int headingLevel(final String line)
    {
        int level = 0;
        while (level < line.length() && line.charAt(level) == '#')
        {
            level++;
        }
        return level > 0 && level < line.length() && line.charAt(level) == ' ' ? level : 0;
    }

    /** The subjects and bodies of the commits whose message names the id, or null outside git or with none. */
    private static String gitLog(final Path repo, final String id)
    {
        try
        {
            final Process git = new ProcessBuilder("git", "log", "--fixed-strings", "--regexp-ignore-case",
                "--grep=" + id, "--format=commit %h: %s%n%n%b")
                .directory(repo.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!git.waitFor(30, TimeUnit.SECONDS))
            {
                git.destroyForcibly();
                return null;
            }
            return git.exitValue() == 0 && !out.isBlank() ? out.strip() : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
