package dev.switchboard.ipc.uring;

/**
 * The settings of the router's io_uring engine (its control and HIGH sockets on one ring, in the {@code router}
 * module): read by {@code IpcContext}, the one reader of the cross-process settings, and handed to the engine.
 *
 * @param mode         the ring's strongest completion mode (the process's cap may lower it).
 * @param buffers      buffers in the shared receive pool (a power of two).
 * @param bufferLength bytes per pool buffer.
 */
public record UringEngineSettings(UringRing.CompletionMode mode, int buffers, int bufferLength)
{
    /** Property: the ring's completion mode ({@code deferred}, {@code cooperative}, {@code interrupt}). */
    public static final String MODE_PROP = "switchboard.router.uring.mode";
    /** Default of {@value #MODE_PROP}. */
    public static final String MODE_DEFAULT = "deferred";
    /** Property: buffers in the shared receive pool (a power of two). */
    public static final String BUFFERS_PROP = "switchboard.router.uring.buffers";
    /** Default of {@value #BUFFERS_PROP}. */
    public static final int BUFFERS_DEFAULT = 256;
    /** Property: bytes per pool buffer. */
    public static final String BUFFER_LENGTH_PROP = "switchboard.router.uring.buffer.length";
    /** Default of {@value #BUFFER_LENGTH_PROP}: 16 KiB. */
    public static final int BUFFER_LENGTH_DEFAULT = 16 * 1024;

    /** The defaults. */
    public static final UringEngineSettings DEFAULTS =
        new UringEngineSettings(UringRing.CompletionMode.DEFERRED, BUFFERS_DEFAULT, BUFFER_LENGTH_DEFAULT);
}
