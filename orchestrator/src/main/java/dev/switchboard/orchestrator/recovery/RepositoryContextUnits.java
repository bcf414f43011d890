/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.workflow.TaskDefinition;

/**
 * {@link ContextUnits} from a {@link RepositoryAnalysis}: what a task's context names, by the first
 * {@code ${context.NAME}} placeholder in its description or context that yields two units or more.
 * <table>
 *   <caption>Placeholder and units</caption>
 *   <tr><th>placeholder</th><th>units</th></tr>
 *   <tr><td>{@code ${context.complex}}</td><td>the methods at or above complexity {@value #COMPLEX}, by file then
 *       line (methods of one file stay together)</td></tr>
 *   <tr><td>{@code ${context.undocumented}}</td><td>the files with undocumented public members, sorted</td></tr>
 *   <tr><td>{@code ${context.uncovered}}</td><td>the source files no test file is named after
 *       ({@code Foo.java} is tested by {@code FooTest.java}, {@code test_foo.py}, {@code foo.test.ts}, ...),
 *       sorted</td></tr>
 *   <tr><td>any other context</td><td>the modules: the root build's declared modules, else the directories
 *       holding a {@code pom.xml}, {@code package.json}, {@code pyproject.toml}, {@code go.mod} or
 *       {@code Cargo.toml}, else the top-level directories</td></tr>
 * </table>
 * When none yields two, the largest is returned, so the decomposer's message names what there was.
 *
 * <p>Thread-safe (immutable). {@code uncovered} and module discovery walk the repository's files on each call.
 */
public final class RepositoryContextUnits implements ContextUnits
{
    /** Complexity from which a method counts as complex: the gate's default limit, as the prompt lists them. */
    public static final int COMPLEX = 10;
    /** Files looked at, at most, by the walks. */
    private static final int MAX_FILES = 50_000;
    /** Directories the walks never enter. */
    private static final Set<String> SKIPPED = Set.of(".git", ".hg", ".svn", "target", "build", "out", "dist",
        "node_modules", "vendor", ".idea", ".gradle", ".mvn", "__pycache__", ".venv", "venv", ".tox", ".switchboard");
    private static final Set<String> CODE = Set.of("java", "kt", "scala", "groovy", "py", "js", "jsx", "ts", "tsx",
        "go", "rs", "rb", "c", "cc", "cpp", "h", "hpp", "cs", "swift", "php");
    private static final List<String> BUILD_FILES = List.of("pom.xml", "package.json", "pyproject.toml", "go.mod",
        "Cargo.toml");

    private final RepositoryAnalysis analysis;

    /**
     * @param analysis the repository's analysis; its {@link RepositoryAnalysis#root() root} is walked for
     *                 {@code uncovered} and modules.
     */
    public RepositoryContextUnits(final RepositoryAnalysis analysis)
    {
        this.analysis = Objects.requireNonNull(analysis, "analysis");
    }

    @Override
    public List<Unit> of(final TaskDefinition task)
    {
        final String text = task.instructions().description() + "\n" + task.instructions().context();
        List<Unit> best = List.of();
        for (final String fact : List.of("complex", "undocumented", "uncovered", ""))
        {
            if (!fact.isEmpty() && !text.contains("${context." + fact + "}"))
            {
                continue;
            }
            final List<Unit> units = switch (fact)
            {
                case "complex" -> complexMethods();
                case "undocumented" -> undocumentedFiles();
                case "uncovered" -> uncoveredFiles();
                default -> modules();
            };
            if (units.size() >= 2)
            {
                return units;
            }
            best = units.size() > best.size() ? units : best;
        }
        return best;
    }

    /** @return the complex methods, by file then line. */
    List<Unit> complexMethods()
    {
        return analysis.complexity().complex().stream()
            .filter(m -> m.complexity() >= COMPLEX)
            .map(RepositoryAnalysis.MethodComplexity::method)
            .sorted(Comparator.comparing(RepositoryAnalysis.ApiMember::file)
                .thenComparingInt(RepositoryAnalysis.ApiMember::line))
            .map(m -> new Unit(Kind.METHOD, m.file(), shortSignature(m.signature())))
            .toList();
    }

    /** @return the files with an undocumented public member, sorted. */
    List<Unit> undocumentedFiles()
    {
        final Set<String> files = new TreeSet<>();
        analysis.apiDocs().undocumented().forEach(member -> files.add(member.file()));
        return files.stream().map(file -> new Unit(Kind.FILE, file, file)).toList();
    }

    /** @return the source files that no test file is named after, sorted. */
    List<Unit> uncoveredFiles()
    {
        final List<String> sources = new ArrayList<>();
        final Set<String> tested = new HashSet<>();
        for (final String file : files())
        {
            final String name = file.substring(file.lastIndexOf('/') + 1);
            final int dot = name.indexOf('.');
            if (dot <= 0 || !CODE.contains(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT)))
            {
                continue;
            }
            final String stem = name.substring(0, dot);
            final String testedStem = testedStem(file, name, stem);
            if (testedStem != null)
            {
                tested.add(testedStem.toLowerCase(Locale.ROOT));
            }
            else
            {
                sources.add(file);
            }
        }
        return sources.stream()
            .filter(file ->
            {
                final String name = file.substring(file.lastIndexOf('/') + 1);
                return !tested.contains(name.substring(0, name.indexOf('.')).toLowerCase(Locale.ROOT));
            })
            .sorted()
            .map(file -> new Unit(Kind.FILE, file, file))
            .toList();
    }

    /** @return the modules, else the top-level directories. */
    List<Unit> modules()
    {
        final Set<String> modules = new TreeSet<>(analysis.structure().modules());
        if (modules.size() < 2)
        {
            for (final String file : files())
            {
                final int slash = file.lastIndexOf('/');
                if (slash > 0 && BUILD_FILES.contains(file.substring(slash + 1)))
                {
                    modules.add(file.substring(0, slash));
                }
            }
        }
        final Set<String> chosen = modules.size() >= 2 ? modules :
            new TreeSet<>(analysis.structure().topLevelDirectories());
        return chosen.stream().map(dir -> new Unit(Kind.MODULE, dir, dir)).toList();
    }

    /**
     * @return the stem of the source a test file is named after ({@code FooTest.java}, {@code TestFoo.java},
     *         {@code FooIT.java}, {@code test_foo.py}, {@code foo_test.go}, {@code foo.test.ts},
     *         {@code foo.spec.js}), or null when the file is not a test.
     */
    private static String testedStem(final String file, final String name, final String stem)
    {
        final String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains(".test.") || lower.contains(".spec."))
        {
            return stem;
        }
        for (final String suffix : List.of("Tests", "Test", "IT", "_test"))
        {
            if (stem.endsWith(suffix) && stem.length() > suffix.length())
            {
                return stem.substring(0, stem.length() - suffix.length());
            }
        }
        if (stem.startsWith("test_") && stem.length() > 5)
        {
            return stem.substring(5);
        }
        if (stem.startsWith("Test") && stem.length() > 4 && Character.isUpperCase(stem.charAt(4)))
        {
            return stem.substring(4);
        }
        return file.contains("/test/") || file.contains("/tests/") || file.startsWith("test/") ||
            file.startsWith("tests/") ? "" : null;
    }

    private static String shortSignature(final String signature)
    {
        final int hash = signature.indexOf('#');
        final String type = hash < 0 ? signature : signature.substring(0, hash);
        final String simple = type.substring(type.lastIndexOf('.') + 1);
        return hash < 0 ? simple : simple + signature.substring(hash);
    }

    /** The repository's files, relative with {@code /}, sorted, skipped directories left out. */
    private List<String> files()
    {
        final Path root = analysis.root();
        final List<String> files = new ArrayList<>();
        if (!Files.isDirectory(root))
        {
            return files;
        }
        try
        {
            Files.walkFileTree(root, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs)
                {
                    final Path name = dir.getFileName();
                    return !dir.equals(root) && name != null && SKIPPED.contains(name.toString()) ?
                        FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs)
                {
                    if (attrs.isRegularFile())
                    {
                        files.add(root.relativize(file).toString().replace('\\', '/'));
                    }
                    return files.size() >= MAX_FILES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(final Path file, final IOException ex)
                {
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot walk " + root + " for the units of a task's context", ex);
        }
        files.sort(null);
        return files;
    }
}
