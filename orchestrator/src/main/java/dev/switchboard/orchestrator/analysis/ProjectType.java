/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.util.Optional;

/**
 * A build system or package ecosystem, recognised by its manifest file anywhere in the repository (outside the
 * skipped directories). A repository may be several at once; {@link #UNKNOWN} is reported only when none matched.
 */
public enum ProjectType
{
    /** {@code pom.xml}. */
    MAVEN,
    /** {@code build.gradle} or {@code build.gradle.kts}. */
    GRADLE,
    /** {@code package.json}. */
    NPM,
    /** {@code pyproject.toml}, {@code setup.py} or {@code requirements.txt}. */
    PYTHON,
    /** {@code go.mod}. */
    GO,
    /** {@code Cargo.toml}. */
    CARGO,
    /** {@code CMakeLists.txt}. */
    CMAKE,
    /** {@code Makefile}, {@code makefile} or {@code GNUmakefile}. */
    MAKE,
    /** No manifest recognised. */
    UNKNOWN;

    /**
     * The project type a file name marks, if any.
     *
     * @param fileName a file's name without its directory.
     * @return the type that file's presence implies, or empty.
     */
    public static Optional<ProjectType> ofManifest(final String fileName)
    {
        return Optional.ofNullable(switch (fileName)
        {
            case "pom.xml" -> MAVEN;
            case "build.gradle", "build.gradle.kts" -> GRADLE;
            case "package.json" -> NPM;
            case "pyproject.toml", "setup.py", "requirements.txt" -> PYTHON;
            case "go.mod" -> GO;
            case "Cargo.toml" -> CARGO;
            case "CMakeLists.txt" -> CMAKE;
            case "Makefile", "makefile", "GNUmakefile" -> MAKE;
            default -> null;
        });
    }
}
