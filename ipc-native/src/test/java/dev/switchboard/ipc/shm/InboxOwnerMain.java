package dev.switchboard.ipc.shm;

/**
 * Child process (no JVM flags): creates an inbox for agent {@code args[1]} in dir {@code args[0]}, prints its
 * path, then heartbeats until killed (at most a minute, so a lost child does not linger).
 */
public final class InboxOwnerMain
{
    private InboxOwnerMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args shm dir, agent name.
     * @throws InterruptedException never expected.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final InboxFile inbox = InboxFile.create(java.nio.file.Path.of(args[0]), args[1], 4096);
        System.out.println(inbox.path());
        final long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline)
        {
            inbox.heartbeat();
            Thread.sleep(100);
        }
        inbox.close();
    }
}
