/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.agents;

import java.util.Locale;

/** How an agent's command receives its prompt. The prompt is written to a file in every case. */
public enum PromptDelivery
{
    /** The command names the prompt file with {@code ${prompt.file}} (or reads {@code SWITCHBOARD_PROMPT_FILE}). */
    FILE,
    /** The prompt is the command's standard input. */
    STDIN,
    /** The prompt text is an argument: the command has {@code ${prompt}} where it goes. */
    ARGUMENT;

    /**
     * @param text {@code file}, {@code stdin} or {@code argument}, ignoring case.
     * @return the delivery, or {@code null} when the text is none of those.
     */
    public static PromptDelivery parse(final String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "file" -> FILE;
            case "stdin" -> STDIN;
            case "argument", "arg" -> ARGUMENT;
            default -> null;
        };
    }
}
