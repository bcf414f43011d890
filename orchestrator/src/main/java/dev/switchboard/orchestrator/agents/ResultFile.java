/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.agents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an agent writes when it is done, so the orchestrator gets a structured result instead of scraping its
 * output. The file is named by {@code ${result.file}} in the command and by the environment variable
 * {@code SWITCHBOARD_RESULT_FILE}, and is JSON in UTF-8:
 * <pre>
 * {
 *   "status": "succeeded",              // or "failed"; optional, the exit status decides when absent
 *   "summary": "Added JWT login ...",   // what was done, for people and for the tasks that depend on this one
 *   "changedFiles": ["src/auth/Login.java"],   // relative to the repository
 *   "artifacts": ["docs/auth-design.md"],      // reports, designs, benchmark results
 *   "error": "...",                     // with "failed": why
 *   "verdict": "approve",               // a reviewer's: "approve" or "reject"
 *   "findings": ["Login.java:42 ..."]   // a reviewer's: what must change
 * }
 * </pre>
 * Every field is optional and unknown fields are ignored. A non-zero exit status is a failure whatever the file
 * says. An agent that writes no file and exits 0 succeeds with the end of its standard output as its summary.
 * Stateless and thread-safe.
 *
 * @param failed       whether the agent says it failed.
 * @param summary      what was done; may be empty.
 * @param changedFiles files changed.
 * @param artifacts    other outputs.
 * @param error        why it failed; may be empty.
 * @param verdict      a reviewer's verdict, {@code approve} or {@code reject}; empty when the agent gave none.
 * @param findings     a reviewer's findings; may be empty.
 */
public record ResultFile(boolean failed, String summary, List<String> changedFiles, List<String> artifacts,
    String error, String verdict, List<String> findings)
{
    /** A reviewer's verdict that approves. */
    public static final String APPROVE = "approve";
    /** A reviewer's verdict that rejects. */
    public static final String REJECT = "reject";

    /** The file's name in the run directory. */
    public static final String FILE_NAME = "result.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Copies. */
    public ResultFile
    {
        summary = summary == null ? "" : summary.strip();
        changedFiles = List.copyOf(changedFiles);
        artifacts = List.copyOf(artifacts);
        error = error == null ? "" : error.strip();
        verdict = verdict == null ? "" : verdict.strip();
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /**
     * The paragraph appended to every prompt, telling the agent how to report.
     *
     * @param file where the result goes.
     * @return Markdown text.
     */
    public static String instructions(final Path file)
    {
        return "## When you are done\n\n" +
            "Write a JSON file at " + file + " (also in the environment variable SWITCHBOARD_RESULT_FILE):\n\n" +
            "```json\n" +
            "{\"status\": \"succeeded\", \"summary\": \"what you did, in a few sentences\",\n" +
            " \"changedFiles\": [\"paths relative to the repository\"], \"artifacts\": [\"reports or documents " +
            "you wrote\"]}\n" +
            "```\n\n" +
            "If you could not do the task, write \"status\": \"failed\" and say why in \"error\".\n";
    }

    /**
     * @param file a result file.
     * @return what it says.
     * @throws IOException if it cannot be read or is not a result file; the message says what is wrong.
     */
    public static ResultFile read(final Path file) throws IOException
    {
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(Files.readString(file));
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            throw new IOException("result file " + file + " is not JSON: " + ex.getOriginalMessage(), ex);
        }
        if (root == null || !root.isObject())
        {
            throw new IOException("result file " + file + " must hold a JSON object");
        }
        final String status = text(root, "status", file);
        if (!status.isEmpty() && !status.equals("succeeded") && !status.equals("failed"))
        {
            throw new IOException("result file " + file + ": status must be \"succeeded\" or \"failed\", not \"" +
                status + "\"");
        }
        final String verdict = text(root, "verdict", file);
        if (!verdict.isEmpty() && !verdict.equals(APPROVE) && !verdict.equals(REJECT))
        {
            throw new IOException("result file " + file + ": verdict must be \"" + APPROVE + "\" or \"" + REJECT +
                "\", not \"" + verdict + "\"");
        }
        return new ResultFile(status.equals("failed"), text(root, "summary", file), strings(root, "changedFiles", file),
            strings(root, "artifacts", file), text(root, "error", file), verdict, strings(root, "findings", file));
    }

    private static String text(final JsonNode root, final String field, final Path file) throws IOException
    {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull())
        {
            return "";
        }
        if (!node.isTextual())
        {
            throw new IOException("result file " + file + ": " + field + " must be a string, not " + node);
        }
        return node.asText();
    }

    private static List<String> strings(final JsonNode root, final String field, final Path file) throws IOException
    {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull())
        {
            return List.of();
        }
        final List<String> strings = new ArrayList<>();
        if (node.isArray())
        {
            for (final JsonNode item : node)
            {
                if (!item.isTextual())
                {
                    throw new IOException("result file " + file + ": " + field + " must list strings, not " + item);
                }
                strings.add(item.asText());
            }
            return strings;
        }
        throw new IOException("result file " + file + ": " + field + " must be a list of strings, not " + node);
    }
}
