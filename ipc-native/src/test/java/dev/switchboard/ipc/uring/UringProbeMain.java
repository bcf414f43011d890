package dev.switchboard.ipc.uring;

/**
 * Child JVM: print the probe's result on one line, e.g. to check what a JVM without native access reports.
 */
public final class UringProbeMain
{
    private UringProbeMain()
    {
    }

    /**
     * @param args none.
     */
    public static void main(final String[] args)
    {
        System.out.println(UringProbe.probe());
    }
}
