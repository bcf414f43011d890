package dev.switchboard.codecs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@code jvm.flags} at the root of the repository is the one place a JVM flag of Switchboard is written: no pom, no
 * {@code ./switchboard}, no code under {@code src/main/java} spells one of its flags again (they read the file, or
 * {@link JvmFlags}). Comments in Java code may name a flag (documentation says what a feature needs); code and string
 * literals may not. Poms and the script are searched whole.
 */
class JvmFlagsSourceTest
{
    @Test
    void theCodecsJarCarriesTheRepositorysFile() throws IOException
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream(JvmFlags.FILE_NAME))
        {
            assertNotNull(in, "jvm.flags beside JvmFlags");
            assertArrayEquals(Files.readAllBytes(repositoryRoot().resolve(JvmFlags.FILE_NAME)), in.readAllBytes(),
                "the copy in target/classes is the file at the root (rebuild codecs after editing it)");
        }
    }

    @Test
    void noFlagOfJvmFlagsIsWrittenInAPomTheScriptOrMainCode() throws IOException
    {
        final List<String> copies = FlagCopies.in(repositoryRoot(), JvmFlags.all());
        assertEquals(List.of(), copies, "flags written outside jvm.flags; read them from it (JvmFlags, the " +
            "switchboard.jvm.router property, jvm_flags in ./switchboard) instead");
    }

    @Test
    void aFlagWrittenInCodeAStringOrAPomIsFoundButNotOneInAComment(@TempDir final Path root) throws IOException
    {
        final Path main = Files.createDirectories(root.resolve("mod/src/main/java/x"));
        Files.writeString(main.resolve("A.java"), """
            package x;
            /** Needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}: documentation may say so. */
            class A
            {
                // and so may a line comment: --enable-native-access=ALL-UNNAMED
                static final String S = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
                static final String T = "-Dchronicle.analytics.disable=true /* not a comment */";
                static final String U = \"""
                    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
                    \""";
            }
            """);
        Files.writeString(root.resolve("mod/pom.xml"), "<!-- --enable-native-access=ALL-UNNAMED -->\n");
        Files.writeString(root.resolve("switchboard"), "#!/bin/sh\njava --sun-misc-unsafe-memory-access=allow\n");
        final Path test = Files.createDirectories(root.resolve("mod/src/test/java/x"));
        Files.writeString(test.resolve("ATest.java"), "class ATest { String s = \"--enable-native-access=ALL-UNNAMED\"; }");
        Files.writeString(root.resolve("jvm.flags"), "--enable-native-access=ALL-UNNAMED native\n");
        final Path target = Files.createDirectories(root.resolve("mod/target"));
        Files.writeString(target.resolve("pom.xml"), "--enable-native-access=ALL-UNNAMED");

        assertEquals(List.of(
                "mod/pom.xml:1: --enable-native-access=ALL-UNNAMED",
                "mod/src/main/java/x/A.java:6: java.base/sun.nio.ch=ALL-UNNAMED",
                "mod/src/main/java/x/A.java:7: chronicle.analytics.disable=true",
                "mod/src/main/java/x/A.java:9: java.base/jdk.internal.misc=ALL-UNNAMED",
                "switchboard:2: --sun-misc-unsafe-memory-access=allow"),
            FlagCopies.in(root, JvmFlags.all()));
    }

    /**
     * The root of the repository: the nearest directory at or above the working directory (a module's, under
     * surefire) that holds {@code jvm.flags}.
     */
    static Path repositoryRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve(JvmFlags.FILE_NAME)) && Files.isRegularFile(dir.resolve("pom.xml")))
            {
                return dir;
            }
        }
        throw new IllegalStateException("no jvm.flags at or above " + Path.of("").toAbsolutePath());
    }

    /**
     * Finds the flags of {@code jvm.flags} written in the poms, the script and the main Java code of a tree.
     */
    static final class FlagCopies
    {
        private FlagCopies()
        {
        }

        /**
         * @return {@code path:line: what was found} (see {@link #needle(String)}), paths relative to the root, in path
         * order.
         */
        static List<String> in(final Path root, final List<JvmFlags.Flag> flags) throws IOException
        {
            final List<String> found = new ArrayList<>();
            try (Stream<Path> files = Files.walk(root))
            {
                for (final Path file : files.filter(Files::isRegularFile).sorted().toList())
                {
                    final String relative = root.relativize(file).toString().replace('\\', '/');
                    if (isExcluded(relative))
                    {
                        continue;
                    }
                    final String name = file.getFileName().toString();
                    final String text;
                    if (name.equals("pom.xml") || relative.equals("switchboard"))
                    {
                        text = Files.readString(file, StandardCharsets.UTF_8);
                    }
                    else if (name.endsWith(".java") && ("/" + relative).contains("/src/main/java/"))
                    {
                        text = withoutComments(Files.readString(file, StandardCharsets.UTF_8));
                    }
                    else
                    {
                        continue;
                    }
                    find(relative, text, flags, found);
                }
            }
            return found;
        }

        private static boolean isExcluded(final String relative)
        {
            return ("/" + relative).contains("/target/") || relative.startsWith(".git/") ||
                ("/" + relative).contains("/src/test/");
        }

        private static void find(final String path, final String text, final List<JvmFlags.Flag> flags,
            final List<String> found)
        {
            final List<String> needles = flags.stream().map((f) -> needle(f.flag())).distinct().toList();
            final String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++)
            {
                for (final String needle : needles)
                {
                    if (lines[i].contains(needle))
                    {
                        found.add(path + ":" + (i + 1) + ": " + needle);
                    }
                }
            }
        }

        /**
         * What betrays a copy of the flag in any spelling: an opened or exported package whatever separates it from
         * the option ({@code =} or a blank), a system property without its {@code -D}, else the flag itself.
         */
        static String needle(final String flag)
        {
            if (flag.startsWith("--add-opens=") || flag.startsWith("--add-exports="))
            {
                return flag.substring(flag.indexOf('=') + 1);
            }
            if (flag.startsWith("-D"))
            {
                return flag.substring(2);
            }
            return flag;
        }

        /**
         * Java source with its comments blanked (line breaks kept, so line numbers stay), string and character
         * literals and text blocks kept.
         */
        static String withoutComments(final String source)
        {
            final StringBuilder out = new StringBuilder(source.length());
            int i = 0;
            final int n = source.length();
            while (i < n)
            {
                final char c = source.charAt(i);
                if (source.startsWith("//", i))
                {
                    while (i < n && source.charAt(i) != '\n')
                    {
                        i++;
                    }
                }
                else if (source.startsWith("/*", i))
                {
                    final int end = source.indexOf("*/", i + 2);
                    final int stop = end < 0 ? n : end + 2;
                    for (; i < stop; i++)
                    {
                        if (source.charAt(i) == '\n')
                        {
                            out.append('\n');
                        }
                    }
                }
                else if (source.startsWith("\"\"\"", i))
                {
                    final int end = source.indexOf("\"\"\"", i + 3);
                    final int stop = end < 0 ? n : end + 3;
                    out.append(source, i, stop);
                    i = stop;
                }
                else if (c == '"' || c == '\'')
                {
                    int j = i + 1;
                    while (j < n && source.charAt(j) != c && source.charAt(j) != '\n')
                    {
                        j += source.charAt(j) == '\\' ? 2 : 1;
                    }
                    final int stop = Math.min(n, j + 1);
                    out.append(source, i, stop);
                    i = stop;
                }
                else
                {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        }
    }
}
