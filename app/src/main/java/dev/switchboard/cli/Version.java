/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints: {@code switchboard VERSION} and the Java it runs on. The version comes from
 * {@code version.properties}, which the build fills in with the project's version; "unknown" when it is missing
 * (classes not built by Maven). Stateless.
 */
final class Version implements IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        return new String[] {line()};
    }

    /** @return {@code switchboard 0.1.0-SNAPSHOT (Java 25.0.1)}. */
    static String line()
    {
        return "switchboard " + version() + " (Java " + Runtime.version() + ")";
    }

    /** @return the project version, or {@code unknown}. */
    static String version()
    {
        try (InputStream in = Version.class.getResourceAsStream("version.properties"))
        {
            if (in == null)
            {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            final String version = properties.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version;
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }
}
