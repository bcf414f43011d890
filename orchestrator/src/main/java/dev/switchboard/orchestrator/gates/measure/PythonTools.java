/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Python tools installed on this machine, found by running them: for each interpreter, {@code python3} on the
 * path then {@code /usr/bin/python3} (a pyenv or virtualenv {@code python3} first on the path often lacks the
 * Debian packages), whether {@code -m pytest --version}, {@code -m coverage --version} and
 * {@code -m pyflakes --version} work. Debian 12 installs them with
 * {@value #APT_PACKAGES}. Immutable; {@link #detect()} starts a few short processes.
 *
 * @param pytest   the interpreter the tests run with: the first with pytest and coverage.py, else the first with
 *                 pytest; empty when none has pytest.
 * @param coverage true when {@link #pytest}'s interpreter also has coverage.py.
 * @param pyflakes the command that runs pyflakes ({@code [python3, -m, pyflakes]} or {@code [pyflakes3]}); empty
 *                 when none works.
 */
public record PythonTools(Optional<String> pytest, boolean coverage, Optional<List<String>> pyflakes)
{
    /** The Debian packages that install the tools, for the reasons given when one is missing. */
    public static final String APT_PACKAGES = "apt-get install python3-pytest python3-coverage pyflakes3";
    /** The interpreters tried, in order. */
    static final List<String> INTERPRETERS = List.of("python3", "/usr/bin/python3");

    private static final Duration PROBE_LIMIT = Duration.ofSeconds(30);

    /** Copies. */
    public PythonTools
    {
        pyflakes = pyflakes.map(List::copyOf);
    }

    /**
     * Finds the tools by running them.
     *
     * @return what works here.
     * @throws IOException          when no scratch file can be made for their output.
     * @throws InterruptedException when interrupted while a probe runs.
     */
    public static PythonTools detect() throws IOException, InterruptedException
    {
        final Path log = Files.createTempFile("switchboard-python-probe", ".log");
        try
        {
            String withPytest = null;
            String withBoth = null;
            List<String> pyflakes = null;
            for (final String python : INTERPRETERS)
            {
                final boolean pytest = works(List.of(python, "-m", "pytest", "--version"), log);
                if (pytest && withPytest == null)
                {
                    withPytest = python;
                }
                if (pytest && withBoth == null && works(List.of(python, "-m", "coverage", "--version"), log))
                {
                    withBoth = python;
                }
                if (pyflakes == null && works(List.of(python, "-m", "pyflakes", "--version"), log))
                {
                    pyflakes = List.of(python, "-m", "pyflakes");
                }
            }
            if (pyflakes == null && works(List.of("pyflakes3", "--version"), log))
            {
                pyflakes = List.of("pyflakes3");
            }
            final String chosen = withBoth != null ? withBoth : withPytest;
            return new PythonTools(Optional.ofNullable(chosen), withBoth != null, Optional.ofNullable(pyflakes));
        }
        finally
        {
            Files.deleteIfExists(log);
        }
    }

    /** @return why the tests are not measured, or {@code ""} when pytest is there. */
    String whyNoTests()
    {
        return pytest.isPresent() ? "" : "pytest is not installed for " + String.join(" or ", INTERPRETERS) + " (" +
            APT_PACKAGES + ")";
    }

    /** @return why coverage is not measured, or {@code ""} when coverage.py is there. */
    String whyNoCoverage()
    {
        return coverage ? "" : "coverage.py is not installed for " + pytest.orElse(String.join(" or ", INTERPRETERS)) +
            " (" + APT_PACKAGES + ")";
    }

    /** @return why lint is not measured, or {@code ""} when pyflakes is there. */
    String whyNoLint()
    {
        return pyflakes.isPresent() ? "" : "pyflakes is not installed (" + APT_PACKAGES + ")";
    }

    private static boolean works(final List<String> command, final Path log) throws InterruptedException
    {
        return ProcessRun.run(command, log.getParent(), log, PROBE_LIMIT).succeeded();
    }
}
