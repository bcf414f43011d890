package dev.switchboard.codecs;

/**
 * Limits of the wire contract, checked where a value enters (client API, router control plane, frame
 * validation) and documented here once. A value over a limit is refused with an error naming the limit
 * and the value seen; it is never truncated.
 *
 * <p>Thread-safety: constants only. Allocation: none.
 */
public final class WireLimits
{
    /** Maximum length of an agent, topic, group or queue name, in UTF-8 bytes. Names must be non-empty. */
    public static final int MAX_NAME_LENGTH = 128;
    /** Maximum number of capabilities one agent may register. */
    public static final int MAX_CAPABILITIES = 32;
    /** Maximum length of one capability, in UTF-8 bytes. Capabilities must be non-empty. */
    public static final int MAX_CAPABILITY_LENGTH = 64;
    /** Maximum length of a credential in a Register message, in bytes. */
    public static final int MAX_CREDENTIAL_LENGTH = 4096;
    /** Maximum length of error or progress text, in UTF-8 bytes. */
    public static final int MAX_TEXT_LENGTH = 1024;
    /**
     * Absolute upper bound of any frame on any tier (16 MiB). Each ring or socket has its own, usually
     * smaller, maximum message length; this bound is what a frame validator refuses outright.
     */
    public static final int MAX_FRAME_LENGTH = 16 * 1024 * 1024;

    private WireLimits()
    {
    }
}
