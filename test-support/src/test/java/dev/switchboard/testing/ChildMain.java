package dev.switchboard.testing;

import java.nio.file.Path;

/**
 * The child of {@link ChildJvmTest}: {@code echo ARGS} prints what it was given and exits 3; {@code fork} starts a
 * {@code sleep} and prints its pid; {@code quiet} prints nothing and waits.
 */
public final class ChildMain
{
    private ChildMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        switch (args[0])
        {
            case "echo" ->
            {
                for (int i = 1; i < args.length; i++)
                {
                    System.out.println("arg=" + args[i]);
                }
                System.out.println("property=" + System.getProperty("child.property"));
                System.out.println("variable=" + System.getenv("CHILD_VARIABLE"));
                System.out.println("dir=" + Path.of("").toAbsolutePath().toRealPath());
                System.out.println("options=" + System.getenv("JAVA_TOOL_OPTIONS"));
                System.err.println("to stderr");
                System.exit(3);
            }
            case "fork" ->
            {
                final Process sleep = new ProcessBuilder("sleep", "60").start();
                System.out.println(sleep.pid());
                sleep.waitFor();
            }
            default -> Thread.sleep(60_000);
        }
    }
}
