/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two rules for the library code of every module ({@code codecs}, {@code router-core}, {@code ipc-native} and the
 * orchestrator's library packages, {@code dev.switchboard.orchestrator.*}), checked on the sources:
 * <ol>
 *   <li><b>Libraries print nothing</b>: no {@code System.out}, {@code System.err} or {@code printStackTrace}. Warnings
 *       and errors go through {@link System.Logger} or a context's error handler, so that the application chooses where
 *       they go. Flushing the standard streams is not printing (a main's output before a halt).</li>
 *   <li><b>Settings are read in one place per component</b>: only a {@code *Context} class reads a system property or
 *       an environment variable ({@code System.getProperty}, {@code System.getenv}, {@code Integer.getInteger},
 *       {@code Long.getLong}, {@code Boolean.getBoolean}, {@code System.getProperties()} other than to set a default).
 *       Facts about the JVM and the machine that configure nothing ({@link #PLATFORM_FACTS}: the OS, the architecture,
 *       the user, the class path, the temporary directory) may be read anywhere.</li>
 * </ol>
 * The applications are exempt: the command line ({@code dev.switchboard.cli}), the demo, the soak, the benchmarks
 * module, and the mains listed in {@link #MAINS} for the streams named there, with the reason. Comments and string
 * literals are not code: a Javadoc that mentions {@code System.err} breaks no rule.
 *
 * <p>And the settings are documented: each module's README has one "Settings" table naming every property (and
 * environment variable) its sources define a constant for, and names none that no source has.
 */
class LibrarySourceRulesTest
{
    /** Packages of applications: their output is their product. */
    private static final List<String> APPLICATION_PACKAGES =
        List.of("dev.switchboard.cli", "dev.switchboard.demo", "dev.switchboard.soak", "dev.switchboard.bench");

    /** Mains in library packages, and the standard streams each may use (with why). */
    private static final Map<String, Set<String>> MAINS = Map.of(
        // ./switchboard router: its address, its stop and its counters are the command's output
        "dev.switchboard.router.process.RouterMain", Set.of("System.out", "System.err"),
        // ./switchboard agent: what the sample agent receives is the command's output
        "dev.switchboard.sample.SampleAgentMain", Set.of("System.out", "System.err"),
        // ./switchboard fuzz: the campaign's table
        "dev.switchboard.fuzz.FuzzMain", Set.of("System.out", "System.err"),
        // an agent JVM's standard output is its protocol with its parent (READY, stopped); it logs everything else
        "dev.switchboard.orchestrator.runtime.TaskAgentProcess", Set.of("System.out"));

    /** System properties that are facts about the JVM and the machine, not settings: readable anywhere. */
    private static final Set<String> PLATFORM_FACTS =
        Set.of("os.name", "os.arch", "user.name", "java.class.path", "java.io.tmpdir", "java.home", "line.separator");

    private static final Pattern STANDARD_STREAM =
        Pattern.compile("\\bSystem\\s*\\.\\s*(out|err)\\b(?!\\s*\\.\\s*flush\\s*\\()");
    private static final Pattern PRINT_STACK_TRACE = Pattern.compile("\\.\\s*printStackTrace\\s*\\(");
    private static final Pattern PROPERTY_READ = Pattern.compile(
        "\\bSystem\\s*\\.\\s*(getProperty|getenv)\\s*\\(|\\bSystem\\s*::\\s*(getProperty|getenv)\\b|" +
        "\\bInteger\\s*\\.\\s*getInteger\\s*\\(|\\bLong\\s*\\.\\s*getLong\\s*\\(|" +
        "\\bBoolean\\s*\\.\\s*getBoolean\\s*\\(|" +
        "\\bSystem\\s*\\.\\s*getProperties\\s*\\(\\s*\\)(?!\\s*\\.\\s*(putIfAbsent|setProperty|put)\\s*\\()");
    /** A constant naming a property ({@code "switchboard.*"}) or an environment variable ({@code *_ENV}). */
    private static final Pattern SETTING_CONSTANT = Pattern.compile(
        "static\\s+final\\s+String\\s+" +
        "(?:\\w+\\s*=\\s*\"(switchboard\\.[a-z0-9.]+)\"|\\w+_ENV\\s*=\\s*\"([A-Z_]+)\")");
    private static final Pattern PLATFORM_FACT_READ =
        Pattern.compile("System\\s*\\.\\s*getProperty\\s*\\(\\s*\"([^\"]*)\"");

    @Test
    void libraryCodePrintsNothingAndLogsInstead()
    {
        final List<String> violations = new ArrayList<>();
        librarySources().forEach((className, source) ->
        {
            final String code = withoutCommentsAndLiterals(source);
            final Set<String> allowed = MAINS.getOrDefault(className, Set.of());
            final Matcher stream = STANDARD_STREAM.matcher(code);
            while (stream.find())
            {
                final String which = "System." + stream.group(1);
                if (!allowed.contains(which))
                {
                    violations.add(className + ":" + line(code, stream.start()) + " uses " + which);
                }
            }
            final Matcher trace = PRINT_STACK_TRACE.matcher(code);
            while (trace.find())
            {
                violations.add(className + ":" + line(code, trace.start()) + " calls printStackTrace");
            }
        });
        assertEquals(List.of(), violations, "library code must log (System.Logger or the context's error handler), " +
            "not print; an application's output belongs in " + APPLICATION_PACKAGES + " or " + MAINS.keySet());
    }

    @Test
    void onlyContextsReadSystemPropertiesOrTheEnvironment()
    {
        final List<String> violations = new ArrayList<>();
        librarySources().forEach((className, source) ->
        {
            if (isContext(className))
            {
                return;
            }
            violations.addAll(propertyReads(className, source));
        });
        assertEquals(List.of(), violations, "a library reads its settings in its component's *Context " +
            "(RouterContext, ClientContext, IpcContext, ProcessContext, OrchestratorContext) and hands them down");
    }

    @Test
    void theRulesSeeCodeNotCommentsOrTexts()
    {
        final String source = """
            /** Never {@code System.err.println}; see System.getProperty("x"). */
            class A
            {
                String s = "System.out.println(\\"x\\")"; // System.err
                void f()
                {
                    System.out.flush();
                    String os = System.getProperty("os.name");
                    System.getProperties().putIfAbsent("k", "v");
                }
            }
            """;
        final String code = withoutCommentsAndLiterals(source);
        assertTrue(!STANDARD_STREAM.matcher(code).find() && !PRINT_STACK_TRACE.matcher(code).find(), code);
        assertEquals(List.of(), propertyReads("A", source));

        final String offending = """
            class B
            {
                int n = Integer.getInteger("switchboard.n", 1);
                String v = System.getProperty(NAME);
                java.util.function.UnaryOperator<String> env = System::getenv;
                void g(Exception e)
                {
                    e.printStackTrace();
                    System.err.println("x");
                }
            }
            """;
        assertEquals(3, propertyReads("B", offending).size(), propertyReads("B", offending).toString());
        final String offendingCode = withoutCommentsAndLiterals(offending);
        assertTrue(STANDARD_STREAM.matcher(offendingCode).find() && PRINT_STACK_TRACE.matcher(offendingCode).find());
    }

    @Test
    void theScanCoversEveryLibraryModule()
    {
        final Map<String, String> sources = librarySources();
        for (final String pkg : List.of("dev.switchboard.codecs.", "dev.switchboard.router.", "dev.switchboard.client.",
            "dev.switchboard.ipc.", "dev.switchboard.orchestrator."))
        {
            assertTrue(sources.keySet().stream().anyMatch(c -> c.startsWith(pkg)), "no source of " + pkg + " found " +
                "under " + projectRoot());
        }
        assertTrue(sources.keySet().stream().noneMatch(LibrarySourceRulesTest::isApplication), "applications exempt");
    }

    @Test
    void everyPropertyIsInTheSettingsTableOfItsModulesReadme()
    {
        final Path root = projectRoot();
        final List<String> missing = new ArrayList<>();
        final Set<String> defined = new java.util.TreeSet<>();
        for (final Path module : modules(root))
        {
            final Set<String> names = new java.util.TreeSet<>();
            sourcesOf(module).values().forEach(source ->
            {
                final Matcher constant = SETTING_CONSTANT.matcher(source);
                while (constant.find())
                {
                    names.add(constant.group(1) != null ? constant.group(1) : constant.group(2));
                }
            });
            defined.addAll(names);
            final String table = settingsTable(module);
            names.stream().filter(name -> !table.contains("`" + name + "`"))
                .forEach(name -> missing.add(root.relativize(module) + "/README.md lacks " + name));
        }
        assertEquals(List.of(), missing, "each module's README has a \"## Settings\" table with a row per property");

        final List<String> stale = new ArrayList<>();
        for (final Path module : modules(root))
        {
            final Matcher named = Pattern.compile("`(switchboard\\.[a-z0-9.]+)`").matcher(settingsTable(module));
            while (named.find())
            {
                if (!defined.contains(named.group(1)) && !anySourceNames(root, named.group(1)))
                {
                    stale.add(root.relativize(module) + "/README.md names " + named.group(1));
                }
            }
        }
        assertEquals(List.of(), stale, "a Settings table names only properties the code has");
    }

    private static List<String> propertyReads(final String className, final String source)
    {
        final List<String> reads = new ArrayList<>();
        final String code = withoutComments(source);
        final Matcher read = PROPERTY_READ.matcher(code);
        while (read.find())
        {
            final Matcher fact = PLATFORM_FACT_READ.matcher(code).region(read.start(), code.length());
            if (fact.lookingAt() && PLATFORM_FACTS.contains(fact.group(1)))
            {
                continue;
            }
            reads.add(className + ":" + line(code, read.start()) + " reads " + read.group().strip());
        }
        return reads;
    }

    private static boolean isContext(final String className)
    {
        return className.endsWith("Context");
    }

    private static boolean isApplication(final String className)
    {
        return APPLICATION_PACKAGES.stream().anyMatch(p -> className.startsWith(p + "."));
    }

    /** Every main source file of the project outside the applications, by class name. */
    private static Map<String, String> librarySources()
    {
        final Map<String, String> sources = new TreeMap<>();
        for (final Path module : modules(projectRoot()))
        {
            sourcesOf(module).forEach((className, source) ->
            {
                if (!isApplication(className) && !className.endsWith("package-info"))
                {
                    sources.put(className, source);
                }
            });
        }
        return sources;
    }

    /** The project's Java modules with main sources, the benchmarks (an application) left out. */
    private static List<Path> modules(final Path root)
    {
        try (Stream<Path> dirs = Files.list(root))
        {
            return dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java")))
                .filter(d -> !d.getFileName().toString().equals("benchmarks"))
                .sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** A module's main sources, by class name. */
    private static Map<String, String> sourcesOf(final Path module)
    {
        final Path base = module.resolve("src/main/java");
        final Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(base))
        {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f ->
            {
                final String relative = base.relativize(f).toString();
                sources.put(relative.substring(0, relative.length() - ".java".length()).replace('/', '.'), read(f));
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return sources;
    }

    /** The table rows of a module README's "## Settings" section, or nothing when it has none. */
    private static String settingsTable(final Path module)
    {
        final Path readme = module.resolve("README.md");
        final String text = Files.isRegularFile(readme) ? read(readme) : "";
        final int start = text.indexOf("\n## Settings\n");
        if (start < 0)
        {
            return "";
        }
        final int end = text.indexOf("\n## ", start + 1);
        final StringBuilder rows = new StringBuilder();
        text.substring(start, end < 0 ? text.length() : end).lines().filter(l -> l.startsWith("|"))
            .forEach(l -> rows.append(l).append('\n'));
        return rows.toString();
    }

    private static boolean anySourceNames(final Path root, final String property)
    {
        return modules(root).stream().anyMatch(m -> sourcesOf(m).values().stream()
            .anyMatch(source -> source.contains("\"" + property + "\"")));
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Path projectRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isDirectory(dir.resolve("orchestrator")) && Files.isRegularFile(dir.resolve("pom.xml")))
            {
                return dir;
            }
        }
        throw new IllegalStateException("no directory containing orchestrator/ and pom.xml above " +
            Path.of("").toAbsolutePath());
    }

    private static int line(final String text, final int offset)
    {
        int line = 1;
        for (int i = 0; i < offset; i++)
        {
            if (text.charAt(i) == '\n')
            {
                line++;
            }
        }
        return line;
    }

    private static String withoutComments(final String source)
    {
        return strip(source, false);
    }

    private static String withoutCommentsAndLiterals(final String source)
    {
        return strip(source, true);
    }

    /**
     * The source with comments (and, if asked, the contents of string, text block and char literals) replaced by
     * blanks, line breaks kept so that offsets still give line numbers.
     */
    private static String strip(final String source, final boolean literals)
    {
        final StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length())
        {
            final char c = source.charAt(i);
            if (source.startsWith("//", i))
            {
                while (i < source.length() && source.charAt(i) != '\n')
                {
                    out.append(' ');
                    i++;
                }
            }
            else if (source.startsWith("/*", i))
            {
                final int end = source.indexOf("*/", i + 2);
                final int stop = end < 0 ? source.length() : end + 2;
                blank(source, i, stop, out);
                i = stop;
            }
            else if (source.startsWith("\"\"\"", i))
            {
                final int end = source.indexOf("\"\"\"", i + 3);
                final int stop = end < 0 ? source.length() : end + 3;
                copyOrBlank(source, i, stop, literals, out);
                i = stop;
            }
            else if (c == '"' || c == '\'')
            {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c && source.charAt(j) != '\n')
                {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                final int stop = Math.min(source.length(), j + 1);
                copyOrBlank(source, i, stop, literals, out);
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

    private static void copyOrBlank(
        final String source, final int from, final int to, final boolean blank, final StringBuilder out)
    {
        if (blank)
        {
            out.append(source.charAt(from));
            blank(source, from + 1, to - 1, out);
            out.append(source.charAt(to - 1));
        }
        else
        {
            out.append(source, from, to);
        }
    }

    private static void blank(final String source, final int from, final int to, final StringBuilder out)
    {
        for (int k = from; k < to; k++)
        {
            out.append(source.charAt(k) == '\n' ? '\n' : ' ');
        }
    }
}
