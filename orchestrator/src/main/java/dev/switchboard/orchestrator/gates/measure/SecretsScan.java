/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Metric;

/**
 * Finds hard-coded secrets in the text files of a tree: cloud and service keys and tokens by their published
 * shapes, PEM private keys, and credential literals ({@code password = "..."}). Build output, VCS and dependency
 * directories are skipped, so are binary files and files over 1 MiB. A line holding {@value #ALLOW_MARKER} is
 * skipped, for a documented fixture. Findings name the file, line and rule, never the secret.
 *
 * <p>Stateless; {@link #scan} allocates its findings.
 */
final class SecretsScan
{
    /** A line holding this text is not scanned. */
    static final String ALLOW_MARKER = "secrets-scan:allow";

    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", ".hg", ".svn", "target", "build",
        "node_modules", ".gradle", ".idea", ".venv", "venv", "__pycache__", ".mvn", "dist", "out");

    private static final List<Rule> RULES = List.of(
        new Rule("private key", Pattern.compile("-----BEGIN (?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY")),
        new Rule("AWS access key id", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b")),
        new Rule("GitHub token", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})")),
        new Rule("Slack token", Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}")),
        new Rule("Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_\\-]{35}\\b")),
        new Rule("Stripe secret key", Pattern.compile("\\b[sr]k_live_[0-9A-Za-z]{20,}")),
        new Rule("credential literal", Pattern.compile(
            "(?i)(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token|access[_-]?token|" +
                "client[_-]?secret)[\"']?\\s*[:=]\\s*[\"']([^\"'\\s$]{8,})[\"']")));

    private SecretsScan()
    {
    }

    /**
     * One secret found.
     *
     * @param file the file, relative to the tree.
     * @param line the line, from 1.
     * @param rule what it looks like.
     */
    record Finding(Path file, int line, String rule)
    {
        @Override
        public String toString()
        {
            return file + ":" + line + " (" + rule + ")";
        }
    }

    private record Rule(String name, Pattern pattern)
    {
    }

    /**
     * @param root the tree.
     * @return every finding, in file order.
     * @throws IOException when the walk fails.
     */
    static List<Finding> scan(final Path root) throws IOException
    {
        final List<Finding> findings = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs)
            {
                return !dir.equals(root) && SKIPPED_DIRECTORIES.contains(dir.getFileName().toString()) ?
                    FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
            {
                if (attrs.isRegularFile() && attrs.size() <= MAX_FILE_BYTES)
                {
                    scanFile(root, file, findings);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return findings;
    }

    /**
     * @param root the tree.
     * @return the number of secrets, with up to ten of them as {@code file:line (rule)} in the note and all of them
     *         (up to {@link Measurement#MAX_DETAILS}) as details; never the secret itself.
     * @throws IOException when the walk fails.
     */
    static Measurement measure(final Path root) throws IOException
    {
        final List<Finding> findings = scan(root);
        final String listed = findings.stream().limit(10).map(Finding::toString).toList().toString();
        return Measurement.of(Metric.SECRETS_FOUND, findings.size(), findings.isEmpty() ?
            "secrets scan: none found" : "secrets scan: " + listed + (findings.size() > 10 ? " and more" : ""))
            .withDetails(ToolReports.limited(findings.stream().map(Finding::toString).toList(),
                Measurement.MAX_DETAILS));
    }

    private static void scanFile(final Path root, final Path file, final List<Finding> findings) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final String text;
        try
        {
            text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return; // binary: not a text file a secret is typed into
        }
        if (text.indexOf('\0') >= 0)
        {
            return;
        }
        final String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++)
        {
            if (lines[i].contains(ALLOW_MARKER))
            {
                continue;
            }
            for (final Rule rule : RULES)
            {
                final Matcher matcher = rule.pattern().matcher(lines[i]);
                if (matcher.find())
                {
                    findings.add(new Finding(root.relativize(file), i + 1, rule.name()));
                    break;
                }
            }
        }
    }
}
