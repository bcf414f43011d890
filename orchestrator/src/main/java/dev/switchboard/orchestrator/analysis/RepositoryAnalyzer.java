/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Analyses a repository on disk into a {@link RepositoryAnalysis}.
 * <p>
 * One walk from the root collects regular files, never descending into {@link SourceFiles#SKIPPED_DIRECTORIES}
 * (except {@link SourceFiles#BUILD_OUTPUT_DIRECTORIES}, searched for coverage reports only) and never following a symbolic link (links are counted and skipped, so nothing outside the root is read). The
 * walk stops at {@link Limits#maxFiles()} and says so in {@link RepositoryAnalysis.WalkLimits#truncated()}; files
 * above {@link Limits#maxFileBytes()} are counted but not read. The files are then read in path order, so the
 * result is the same on every file system. A file that fails to parse is counted in
 * {@link RepositoryAnalysis.WalkLimits#parseErrors()} and left out of the measurements; it never fails the
 * analysis.
 * <p>
 * Stateless and thread-safe: each call allocates its own parsers and tables, and holds one file's content at a time
 * plus a {@code long} per line window for duplication.
 */
public final class RepositoryAnalyzer
{
    /** Lock file names that pin an ecosystem's resolved dependency versions. */
    static final Set<String> LOCK_FILES = Set.of("package-lock.json", "npm-shrinkwrap.json", "yarn.lock",
        "pnpm-lock.yaml", "poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "go.sum", "Cargo.lock",
        "gradle.lockfile");

    private static final int MAX_PROBLEMS_LISTED = 20;

    /**
     * Bounds on one analysis.
     *
     * @param maxFiles              regular files walked before the walk stops (default 20,000).
     * @param maxFileBytes          files larger than this are not read (default 1 MiB).
     * @param maxUndocumentedListed undocumented API members listed (default 50).
     * @param complexityListed      methods at or above this complexity are listed (default 10, the gate).
     * @param duplicationWindow     normalised lines per duplication window (default 6).
     */
    public record Limits(int maxFiles, long maxFileBytes, int maxUndocumentedListed, int complexityListed,
        int duplicationWindow)
    {
        /** The defaults above. */
        public static final Limits DEFAULTS = new Limits(20_000, 1L << 20, 50, 10, 6);

        /**
         * Checks every bound is usable.
         *
         * @throws IllegalArgumentException naming the bound and the value seen.
         */
        public Limits
        {
            if (maxFiles < 1 || maxFileBytes < 1 || maxUndocumentedListed < 0 || complexityListed < 1 ||
                duplicationWindow < 2)
            {
                throw new IllegalArgumentException("limits need maxFiles >= 1, maxFileBytes >= 1, " +
                    "maxUndocumentedListed >= 0, complexityListed >= 1, duplicationWindow >= 2; were " + maxFiles +
                    ", " + maxFileBytes + ", " + maxUndocumentedListed + ", " + complexityListed + ", " +
                    duplicationWindow);
            }
        }
    }

    private RepositoryAnalyzer()
    {
    }

    /**
     * Analyses a repository with {@link Limits#DEFAULTS}.
     *
     * @param root the repository's top directory.
     * @return the analysis.
     * @throws IOException when the root is not a readable directory.
     */
    public static RepositoryAnalysis analyze(final Path root) throws IOException
    {
        return analyze(root, Limits.DEFAULTS);
    }

    /**
     * Analyses a repository.
     *
     * @param root   the repository's top directory.
     * @param limits the bounds on the walk and the listings.
     * @return the analysis.
     * @throws IOException when the root is not a readable directory.
     */
    public static RepositoryAnalysis analyze(final Path root, final Limits limits) throws IOException
    {
        final Path realRoot = root.toRealPath();
        if (!Files.isDirectory(realRoot))
        {
            throw new IOException("not a directory: " + root);
        }
        final Walk walk = new Walk(realRoot, limits.maxFiles());
        Files.walkFileTree(realRoot, walk);
        return new Run(realRoot, limits, walk).analyze();
    }

    /** Collects the files under the root; see the class comment. */
    private static final class Walk extends SimpleFileVisitor<Path>
    {
        private final Path root;
        private final int maxFiles;
        private final List<Path> files = new ArrayList<>();
        private final List<Path> reports = new ArrayList<>();
        private final TreeSet<String> topLevelDirectories = new TreeSet<>();
        private final List<String> problems = new ArrayList<>();
        private boolean truncated;
        private int symlinks;
        private Path buildOutput;
        private int buildOutputFiles;

        Walk(final Path root, final int maxFiles)
        {
            this.root = root;
            this.maxFiles = maxFiles;
        }

        @Override
        public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs)
        {
            if (dir.equals(root))
            {
                return FileVisitResult.CONTINUE;
            }
            final String name = dir.getFileName().toString();
            if (buildOutput == null && SourceFiles.BUILD_OUTPUT_DIRECTORIES.contains(name))
            {
                buildOutput = dir;
                return FileVisitResult.CONTINUE;
            }
            if (SourceFiles.SKIPPED_DIRECTORIES.contains(name) || (buildOutput != null && buildOutputFiles >= maxFiles))
            {
                return FileVisitResult.SKIP_SUBTREE;
            }
            if (root.equals(dir.getParent()))
            {
                topLevelDirectories.add(name);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(final Path dir, final IOException e)
        {
            if (dir.equals(buildOutput))
            {
                buildOutput = null;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs)
        {
            if (attrs.isSymbolicLink())
            {
                symlinks++;
                return FileVisitResult.CONTINUE;
            }
            if (!attrs.isRegularFile())
            {
                return FileVisitResult.CONTINUE;
            }
            if (buildOutput != null)
            {
                // Build output is searched for coverage reports only, and is not part of the structure. Its own
                // bound keeps a huge target/ from stalling the walk.
                buildOutputFiles++;
                if (CoverageReports.isReport(file.getFileName().toString()))
                {
                    reports.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
            if (files.size() >= maxFiles)
            {
                truncated = true;
                return FileVisitResult.TERMINATE;
            }
            files.add(file);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(final Path file, final IOException e)
        {
            problems.add(root.relativize(file) + ": cannot read: " + e.getMessage());
            return FileVisitResult.CONTINUE;
        }
    }

    /** One analysis's accumulators, fed file by file in path order. */
    private static final class Run
    {
        private final Path root;
        private final Limits limits;
        private final Walk walk;
        private final EnumSet<ProjectType> projectTypes = EnumSet.noneOf(ProjectType.class);
        private final SortedMap<String, Integer> byExtension = new TreeMap<>();
        private final SortedMap<String, Integer> byLanguage = new TreeMap<>();
        private final SortedMap<String, Integer> byTestConvention = new TreeMap<>();
        private final TreeSet<String> lockFiles = new TreeSet<>();
        private final List<RepositoryAnalysis.Dependency> dependencies = new ArrayList<>();
        private final List<RepositoryAnalysis.CoverageReport> coverageReports = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final JavaSourceMetrics java;
        private final DuplicationScanner duplication;
        private List<String> modules = List.of();
        private int sourceFiles;
        private int testFiles;
        private int largeFiles;
        private int parseErrors;

        Run(final Path root, final Limits limits, final Walk walk)
        {
            this.root = root;
            this.limits = limits;
            this.walk = walk;
            this.java = new JavaSourceMetrics(limits.maxUndocumentedListed(), limits.complexityListed());
            this.duplication = new DuplicationScanner(limits.duplicationWindow());
            problems.addAll(walk.problems);
            parseErrors = walk.problems.size();
        }

        RepositoryAnalysis analyze()
        {
            final List<Path> files = new ArrayList<>(walk.files);
            files.sort(null);
            for (final Path file : files)
            {
                visit(file);
            }
            final List<Path> reports = new ArrayList<>(walk.reports);
            reports.sort(null);
            for (final Path report : reports)
            {
                readReport(report);
            }
            coverageReports.sort(Comparator.comparing(RepositoryAnalysis.CoverageReport::path));
            if (projectTypes.isEmpty())
            {
                projectTypes.add(ProjectType.UNKNOWN);
            }
            final RepositoryAnalysis.Structure structure = new RepositoryAnalysis.Structure(files.size(),
                byExtension, byLanguage, sourceFiles, testFiles, List.copyOf(walk.topLevelDirectories), modules,
                List.copyOf(lockFiles));
            final RepositoryAnalysis.WalkLimits walkLimits = new RepositoryAnalysis.WalkLimits(walk.truncated,
                limits.maxFiles(), largeFiles, walk.symlinks, parseErrors,
                problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS_LISTED)));
            return new RepositoryAnalysis(root, projectTypes, structure, dependencies,
                new RepositoryAnalysis.Tests(testFiles, byTestConvention), CoverageReports.combine(coverageReports),
                java.apiDocs(), java.complexity(), duplication.result(), walkLimits);
        }

        private void visit(final Path file)
        {
            final String name = file.getFileName().toString();
            final String path = relative(file);
            byExtension.merge(SourceFiles.extension(name), 1, Integer::sum);
            ProjectType.ofManifest(name).ifPresent(projectTypes::add);
            if (LOCK_FILES.contains(name))
            {
                lockFiles.add(name);
            }
            final Optional<String> language = SourceFiles.language(name);
            final Optional<String> testConvention = language.flatMap(l -> SourceFiles.testConvention(path));
            language.ifPresent(l -> byLanguage.merge(l, 1, Integer::sum));
            testConvention.ifPresent(c -> byTestConvention.merge(c, 1, Integer::sum));
            if (language.isPresent())
            {
                if (testConvention.isPresent())
                {
                    testFiles++;
                }
                else
                {
                    sourceFiles++;
                }
            }
            final boolean manifest = DependencyManifests.FILE_NAMES.contains(name);
            final boolean report = CoverageReports.isReport(name);
            if (language.isEmpty() && !manifest && !report)
            {
                return;
            }
            final byte[] bytes;
            try
            {
                if (Files.size(file) > limits.maxFileBytes())
                {
                    largeFiles++;
                    return;
                }
                bytes = Files.readAllBytes(file);
            }
            catch (final IOException e)
            {
                problem(path, "cannot read: " + e.getMessage());
                return;
            }
            try
            {
                read(name, path, bytes, language, testConvention.isPresent(), manifest, report);
            }
            catch (final IOException | RuntimeException e)
            {
                problem(path, e.getMessage());
            }
        }

        private void read(final String name, final String path, final byte[] bytes, final Optional<String> language,
            final boolean test, final boolean manifest, final boolean report) throws IOException
        {
            if (language.isPresent())
            {
                final String text = new String(bytes, StandardCharsets.UTF_8);
                duplication.add(text);
                if (language.get().equals("Java") && !test)
                {
                    final String error = java.add(path, text);
                    if (error != null)
                    {
                        problem(path, error);
                    }
                }
            }
            if (manifest)
            {
                dependencies.addAll(DependencyManifests.read(name, path, bytes));
                if (path.equals("pom.xml"))
                {
                    modules = DependencyManifests.mavenModules(bytes);
                }
            }
            if (report)
            {
                CoverageReports.read(name, path, bytes).ifPresent(coverageReports::add);
            }
        }

        private void readReport(final Path file)
        {
            final String path = relative(file);
            try
            {
                if (Files.size(file) > limits.maxFileBytes())
                {
                    largeFiles++;
                    return;
                }
                CoverageReports.read(file.getFileName().toString(), path, Files.readAllBytes(file))
                    .ifPresent(coverageReports::add);
            }
            catch (final IOException | RuntimeException e)
            {
                problem(path, e.getMessage());
            }
        }

        private void problem(final String path, final String message)
        {
            parseErrors++;
            problems.add(path + ": " + message);
        }

        private String relative(final Path file)
        {
            return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        }
    }
}
