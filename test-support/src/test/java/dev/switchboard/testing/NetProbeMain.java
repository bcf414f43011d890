package dev.switchboard.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The child of {@link NetNamespacesTest}, run inside a host: {@code serve ADDRESS PORT} answers each line of each TCP
 * connection with {@code echo LINE} and prints {@code listening} when it accepts; {@code connect ADDRESS PORT ATTEMPTS}
 * tries up to ATTEMPTS times (2 s connect and read timeout each) to send a line and read its echo, then prints
 * {@code reached} or {@code unreachable: WHY}; {@code reason} prints {@code reason=} and
 * {@link NetNamespaces#unavailableReason()}.
 */
public final class NetProbeMain
{
    private static final int TIMEOUT_MS = 2_000;

    private NetProbeMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        switch (args[0])
        {
            case "serve" -> serve(args[1], Integer.parseInt(args[2]));
            case "connect" -> System.out.println(connect(args[1], Integer.parseInt(args[2]),
                Integer.parseInt(args[3])));
            case "reason" -> System.out.println("reason=" + NetNamespaces.unavailableReason());
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void serve(final String address, final int port) throws Exception
    {
        try (ServerSocket server = new ServerSocket())
        {
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            System.out.println("listening");
            while (true)
            {
                try (Socket socket = server.accept();
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8))
                {
                    String line;
                    while ((line = in.readLine()) != null)
                    {
                        out.println("echo " + line);
                    }
                }
                catch (final java.io.IOException ignored)
                {
                    // the client went away; take the next one
                }
            }
        }
    }

    private static String connect(final String address, final int port, final int attempts)
    {
        String why = "no attempt";
        for (int i = 0; i < attempts; i++)
        {
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                final PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
                final BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
                out.println("ping");
                if ("echo ping".equals(in.readLine()))
                {
                    return "reached";
                }
                why = "wrong answer";
            }
            catch (final Exception ex)
            {
                why = ex.toString();
                try
                {
                    Thread.sleep(200);
                }
                catch (final InterruptedException interrupted)
                {
                    Thread.currentThread().interrupt();
                    return "unreachable: interrupted";
                }
            }
        }
        return "unreachable: " + why;
    }
}
