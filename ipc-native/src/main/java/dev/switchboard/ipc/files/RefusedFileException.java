/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link OwnedFiles} refused to create, reuse or open a file; the message says which path, what was found
 * and what was expected, and {@link #reason()} says why for callers that count or fall back.
 *
 * <p>Thread-safety: immutable. Allocation: made only on refusal (never on a hot path).
 */
public final class RefusedFileException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final FileRefusal reason;

    /**
     * @param path    the refused path.
     * @param reason  why.
     * @param message what was found and expected.
     */
    public RefusedFileException(final Path path, final FileRefusal reason, final String message)
    {
        super("refused " + path + " (" + reason + "): " + message);
        this.path = path;
        this.reason = reason;
    }

    /** @return the refused path. */
    public Path path()
    {
        return path;
    }

    /** @return why it was refused. */
    public FileRefusal reason()
    {
        return reason;
    }
}
