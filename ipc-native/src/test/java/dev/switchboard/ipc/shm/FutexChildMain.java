package dev.switchboard.ipc.shm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Child process for {@link FutexTest}: prints {@code available <true|false> <reason>}, then, if given a file, maps
 * its first 4 bytes as a futex word and obeys commands read from stdin, one a line:
 * {@code wait <expected> <timeoutNs>} prints {@code waiting}, waits, then prints {@code result <r>}
 * ({@link Futex.Waiter#await}'s value); {@code exit} exits 0.
 */
public final class FutexChildMain
{
    private FutexChildMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args optional: path of a file of at least 4 bytes.
     * @throws Exception on any failure (exit code 1 with a stack trace on stderr).
     */
    public static void main(final String[] args) throws Exception
    {
        System.out.println("available " + Futex.isAvailable() + " " + Futex.availability());
        if (0 == args.length)
        {
            return;
        }
        try (Arena arena = Arena.ofShared();
            FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE);
            Futex.Waiter waiter = new Futex.Waiter())
        {
            final MemorySegment word = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4, arena);
            final BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while (null != (line = commands.readLine()))
            {
                final String[] parts = line.split(" ");
                if ("exit".equals(parts[0]))
                {
                    return;
                }
                System.out.println("waiting");
                final int result = waiter.await(word, Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
                System.out.println("result " + result);
            }
        }
    }
}
