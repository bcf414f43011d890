/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the analysis classifies a file by its relative path: which directories are skipped, which files are code
 * and in what language, and which code files are tests. Stateless; allocates only the returned strings.
 */
final class SourceFiles
{
    /** Directory names never descended into: version control, build output, dependency caches, IDE state. */
    static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", ".hg", ".svn", "target", "build", "out", "dist",
        "node_modules", ".gradle", ".mvn", ".idea", ".vscode", "__pycache__", ".venv", "venv", ".tox",
        ".pytest_cache", ".mypy_cache", "vendor", "bin", "obj", ".next");

    /**
     * Skipped directories that are still searched, for coverage reports only: build tools write JaCoCo and
     * Cobertura reports into their output ({@code target/site/jacoco/jacoco.xml}).
     */
    static final Set<String> BUILD_OUTPUT_DIRECTORIES = Set.of("target", "build", "out");

    private static final Map<String, String> LANGUAGE_BY_EXTENSION = Map.ofEntries(
        Map.entry("java", "Java"), Map.entry("kt", "Kotlin"), Map.entry("kts", "Kotlin"),
        Map.entry("scala", "Scala"), Map.entry("groovy", "Groovy"), Map.entry("py", "Python"),
        Map.entry("js", "JavaScript"), Map.entry("jsx", "JavaScript"), Map.entry("mjs", "JavaScript"),
        Map.entry("cjs", "JavaScript"), Map.entry("ts", "TypeScript"), Map.entry("tsx", "TypeScript"),
        Map.entry("go", "Go"), Map.entry("rs", "Rust"), Map.entry("c", "C"), Map.entry("h", "C"),
        Map.entry("cc", "C++"), Map.entry("cpp", "C++"), Map.entry("cxx", "C++"), Map.entry("hpp", "C++"),
        Map.entry("cs", "C#"), Map.entry("rb", "Ruby"), Map.entry("php", "PHP"), Map.entry("swift", "Swift"),
        Map.entry("sh", "Shell"));

    private SourceFiles()
    {
    }

    /**
     * The extension of a file name, lower case, without the dot; {@code ""} when there is none.
     *
     * @param fileName the name without directories.
     * @return the extension.
     */
    static String extension(final String fileName)
    {
        final int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * The programming language of a code file.
     *
     * @param fileName the name without directories.
     * @return the language, or empty when the file is not code (documents, data, build files).
     */
    static Optional<String> language(final String fileName)
    {
        return Optional.ofNullable(LANGUAGE_BY_EXTENSION.get(extension(fileName)));
    }

    /**
     * The first test convention a code file matches, checked in this order: {@code src/test} (a {@code src/test}
     * directory anywhere on the path), {@code *Test.java} (also {@code *Tests.java}, {@code *IT.java}),
     * {@code test_*.py} (also {@code *_test.py}), {@code *_test.go}, {@code *.test.js|ts} (also {@code .spec.},
     * any JavaScript or TypeScript extension), {@code tests/} (a directory named {@code test}, {@code tests} or
     * {@code __tests__} on the path).
     *
     * @param relativePath the path from the root with {@code /} separators.
     * @return the convention's name, or empty when the file is not a test.
     */
    static Optional<String> testConvention(final String relativePath)
    {
        final String path = "/" + relativePath;
        final String name = path.substring(path.lastIndexOf('/') + 1);
        final String directories = path.substring(0, path.lastIndexOf('/') + 1);
        final String convention;
        if (directories.contains("/src/test/"))
        {
            convention = "src/test";
        }
        else if (name.matches(".+(Test|Tests|IT)\\.java"))
        {
            convention = "*Test.java";
        }
        else if (name.matches("test_.*\\.py|.+_test\\.py"))
        {
            convention = "test_*.py";
        }
        else if (name.endsWith("_test.go"))
        {
            convention = "*_test.go";
        }
        else if (name.matches(".+\\.(test|spec)\\.(js|jsx|mjs|cjs|ts|tsx)"))
        {
            convention = "*.test.js|ts";
        }
        else if (directories.matches(".*/(test|tests|__tests__)/.*"))
        {
            convention = "tests/";
        }
        else
        {
            convention = null;
        }
        return Optional.ofNullable(convention);
    }
}
