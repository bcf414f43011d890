/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.List;
import java.util.Locale;

import static dev.switchboard.orchestrator.workflow.Capabilities.ARCHITECTURE;
import static dev.switchboard.orchestrator.workflow.Capabilities.DEBUGGING;
import static dev.switchboard.orchestrator.workflow.Capabilities.DESIGN;
import static dev.switchboard.orchestrator.workflow.Capabilities.DIAGNOSIS;
import static dev.switchboard.orchestrator.workflow.Capabilities.DOCUMENTATION;
import static dev.switchboard.orchestrator.workflow.Capabilities.IMPLEMENTATION;
import static dev.switchboard.orchestrator.workflow.Capabilities.LINTING;
import static dev.switchboard.orchestrator.workflow.Capabilities.OPTIMIZATION;
import static dev.switchboard.orchestrator.workflow.Capabilities.PERFORMANCE;
import static dev.switchboard.orchestrator.workflow.Capabilities.PROFILING;
import static dev.switchboard.orchestrator.workflow.Capabilities.REVIEW;
import static dev.switchboard.orchestrator.workflow.Capabilities.SECURITY;
import static dev.switchboard.orchestrator.workflow.Capabilities.TESTING;

/**
 * The built-in workflows: {@link #feature()}, {@link #bugfix()}, {@link #optimization()} and {@link #refactor()}.
 * Each call builds a
 * fresh, already DAG-checked {@link WorkflowDefinition}; the definitions are immutable, so callers may also
 * cache them. Thread-safe.
 */
public final class WorkflowTemplates
{
    /** Name of the {@link #feature()} template. */
    public static final String FEATURE = "feature";
    /** Name of the {@link #bugfix()} template. */
    public static final String BUGFIX = "bugfix";
    /** Name of the {@link #optimization()} template. */
    public static final String OPTIMIZATION_WORKFLOW = "optimization";
    /** Name of the {@link #refactor()} template. */
    public static final String REFACTOR = "refactor";

    /** Gate: static analysis, style and coverage thresholds. */
    public static final String GATE_CODE_QUALITY = "code-quality";
    /** Gate: vulnerability scan and secret detection. */
    public static final String GATE_SECURITY = "security";
    /** Gate: benchmark results within budget and no regression against the baseline. */
    public static final String GATE_PERFORMANCE = "performance";
    /** Gate: public API documented and guides updated. */
    public static final String GATE_DOCUMENTATION = "documentation";
    /** Gate: a reviewer has approved the phase's outputs. */
    public static final String GATE_REVIEW = "review";

    private static final List<String> NAMES = List.of(FEATURE, BUGFIX, OPTIMIZATION_WORKFLOW, REFACTOR);

    private WorkflowTemplates()
    {
    }

    /**
     * @return the template names, in the order the templates are documented.
     */
    public static List<String> names()
    {
        return NAMES;
    }

    /**
     * Looks a template up by name, ignoring case.
     *
     * @param name a template name, e.g. {@code "bugfix"}.
     * @return a new definition of that template.
     * @throws IllegalArgumentException naming the name given and the known names.
     */
    public static WorkflowDefinition byName(final String name)
    {
        final String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key)
        {
            case FEATURE -> feature();
            case BUGFIX -> bugfix();
            case OPTIMIZATION_WORKFLOW -> optimization();
            case REFACTOR -> refactor();
            default -> throw new IllegalArgumentException(
                "unknown workflow template '" + name + "'; known templates: " + String.join(", ", NAMES));
        };
    }

    /**
     * A new feature, from design to documentation:
     * <pre>
     * design ─┬─ implement-core ─┬─ unit-tests ────────┬─ optimize (optional phase)
     *         └─ implement-api ──┴─ integration-tests ─┴─ document
     * </pre>
     * Its parallel tracks are {@code [design]}, {@code [implement-core, implement-api]},
     * {@code [unit-tests, integration-tests]}, {@code [optimize, document]}.
     *
     * @return the feature workflow.
     */
    public static WorkflowDefinition feature()
    {
        return WorkflowDefinition.builder(FEATURE)
            .description("Deliver a new feature: design, implementation, testing, optimization, documentation")
            .phase(PhaseDefinition.builder("design").name("Design")
                .requires(DESIGN, ARCHITECTURE)
                .outputs("design document", "interface sketches")
                .gates(GATE_REVIEW)
                .task(TaskDefinition.builder("design", DESIGN).name("Design the feature")
                    .description("Design ${scope} for the repository ${repo}: its interfaces, data model and " +
                        "trade-offs, written as a design document in the repository.")
                    .acceptance("the design names every public type and method it adds or changes",
                        "the design says which existing classes change and why")
                    .estimatedMinutes(60).build())
                .build())
            .phase(PhaseDefinition.builder("implementation").name("Implementation")
                .requires(IMPLEMENTATION, LINTING)
                .outputs("source changes")
                .gates(GATE_CODE_QUALITY, GATE_SECURITY)
                .task(TaskDefinition.builder("implement-core", IMPLEMENTATION).name("Implement the core logic")
                    .description("Implement the core logic of ${scope} as the design says.")
                    .context("Methods already at or above the complexity gate; do not make them worse:\n" +
                        "${context.complex}")
                    .acceptance("the build compiles and every existing test passes",
                        "no method reaches a cyclomatic complexity of 10")
                    .dependsOn("design").estimatedMinutes(240).decomposable(true).build())
                .task(TaskDefinition.builder("implement-api", IMPLEMENTATION).name("Implement the public API")
                    .description("Implement the public API of ${scope} as the design says.")
                    .context("Public API that still lacks Javadoc:\n${context.undocumented}")
                    .acceptance("the build compiles and every existing test passes",
                        "every public type and member added has Javadoc")
                    .dependsOn("design").estimatedMinutes(120).decomposable(true).build())
                .build())
            .phase(PhaseDefinition.builder("testing").name("Testing")
                .requires(TESTING)
                .outputs("unit tests", "integration tests", "test report")
                .gates(GATE_CODE_QUALITY)
                .task(TaskDefinition.builder("unit-tests", TESTING).name("Write unit tests")
                    .description("Write unit tests for the core logic of ${scope}.")
                    .context("${context.coverage}\n${context.uncovered}")
                    .acceptance("the new tests pass", "line coverage of the code changed for ${scope} is at least 80 %")
                    .dependsOn("implement-core").estimatedMinutes(90).decomposable(true).build())
                .task(TaskDefinition.builder("integration-tests", TESTING).name("Write integration tests")
                    .description("Write integration tests that exercise ${scope} through its public API.")
                    .context("${context.coverage}")
                    .acceptance("the new tests pass", "each public entry point of ${scope} is exercised")
                    .dependsOn("implement-core", "implement-api").estimatedMinutes(90).build())
                .build())
            .phase(PhaseDefinition.builder("optimization").name("Optimization")
                .requires(PROFILING, OPTIMIZATION, PERFORMANCE)
                .outputs("benchmark report")
                .gates(GATE_PERFORMANCE)
                .optional(true)
                .task(TaskDefinition.builder("optimize", OPTIMIZATION).name("Profile and optimize hot paths")
                    .description("Profile ${scope} and make its hot paths faster without changing behaviour.")
                    .context("${context.complex}")
                    .acceptance("every test still passes", "a benchmark shows the improvement against a baseline")
                    .dependsOn("unit-tests", "integration-tests").estimatedMinutes(120).build())
                .build())
            .phase(PhaseDefinition.builder("documentation").name("Documentation")
                .requires(DOCUMENTATION)
                .outputs("API reference", "user guide")
                .gates(GATE_DOCUMENTATION)
                .task(TaskDefinition.builder("document", DOCUMENTATION).name("Document the feature")
                    .description("Document ${scope}: the API reference (Javadoc) and a user guide section.")
                    .context("Public API without Javadoc:\n${context.undocumented}")
                    .acceptance("every public type and member of ${scope} has Javadoc",
                        "the guide shows how to use ${scope}")
                    .dependsOn("unit-tests", "integration-tests").estimatedMinutes(60).build())
                .build())
            .buildChecked();
    }

    /**
     * A defect, from diagnosis to validation:
     * <pre>
     * diagnose ── fix ─┬─ regression-tests
     *                  └─ review-fix
     * </pre>
     *
     * @return the bugfix workflow.
     */
    public static WorkflowDefinition bugfix()
    {
        return WorkflowDefinition.builder(BUGFIX)
            .description("Fix a defect: diagnosis, fix, validation")
            .phase(PhaseDefinition.builder("diagnosis").name("Diagnosis")
                .requires(DIAGNOSIS, DEBUGGING)
                .outputs("root cause analysis", "failing test that reproduces the defect")
                .gates(GATE_REVIEW)
                .task(TaskDefinition.builder("diagnose", DIAGNOSIS).name("Reproduce and find the root cause")
                    .description("Reproduce the defect in ${scope} and find its root cause.")
                    .context("Issues:\n${issues}\n\n${context.gaps}")
                    .acceptance("a test that fails because of the defect is added",
                        "the summary names the root cause with file:line")
                    .estimatedMinutes(90).build())
                .build())
            .phase(PhaseDefinition.builder("fix").name("Fix")
                .requires(IMPLEMENTATION)
                .outputs("patch")
                .gates(GATE_CODE_QUALITY, GATE_SECURITY)
                .task(TaskDefinition.builder("fix", IMPLEMENTATION).name("Fix the root cause")
                    .description("Fix the root cause the diagnosis found in ${scope}.")
                    .context("Issues:\n${issues}")
                    .acceptance("the reproducing test passes", "every other test still passes")
                    .dependsOn("diagnose").estimatedMinutes(60).build())
                .build())
            .phase(PhaseDefinition.builder("validation").name("Validation")
                .requires(TESTING, REVIEW)
                .outputs("regression test", "review approval")
                .gates(GATE_CODE_QUALITY)
                .task(TaskDefinition.builder("regression-tests", TESTING).name("Run and extend regression tests")
                    .description("Run the test suite and add regression tests around the fix in ${scope}.")
                    .context("${context.coverage}")
                    .acceptance("every test passes", "the changed lines are covered by a test")
                    .dependsOn("fix").estimatedMinutes(45).build())
                .task(TaskDefinition.builder("review-fix", REVIEW).name("Review the fix")
                    .description("Review the fix for ${scope}: correctness, side effects, tests.")
                    .acceptance("the summary says approved, or lists what must change with file:line")
                    .dependsOn("fix").estimatedMinutes(30).build())
                .build())
            .buildChecked();
    }

    /**
     * A performance improvement, measured before and after:
     * <pre>
     * profile ── optimize ─┬─ benchmark
     *                      └─ regression-tests
     * </pre>
     *
     * @return the optimization workflow.
     */
    public static WorkflowDefinition optimization()
    {
        return WorkflowDefinition.builder(OPTIMIZATION_WORKFLOW)
            .description("Make measured code faster: profiling, optimization, validation")
            .phase(PhaseDefinition.builder("profiling").name("Profiling")
                .requires(PROFILING, PERFORMANCE)
                .outputs("profile", "baseline benchmarks")
                .task(TaskDefinition.builder("profile", PROFILING).name("Profile and record a baseline")
                    .description("Profile ${scope} under a representative load and record a baseline benchmark.")
                    .context("${context.complex}")
                    .acceptance("the baseline is an artifact with the command that reproduces it",
                        "the summary names the hottest methods with file:line")
                    .estimatedMinutes(60).build())
                .build())
            .phase(PhaseDefinition.builder("optimization").name("Optimization")
                .requires(OPTIMIZATION)
                .outputs("optimized code")
                .gates(GATE_CODE_QUALITY)
                .task(TaskDefinition.builder("optimize", OPTIMIZATION).name("Optimize the hot paths")
                    .description("Make the hot paths of ${scope} the profile found faster, behaviour unchanged.")
                    .acceptance("every test still passes")
                    .dependsOn("profile").estimatedMinutes(180).decomposable(true).build())
                .build())
            .phase(PhaseDefinition.builder("validation").name("Validation")
                .requires(PERFORMANCE, TESTING)
                .outputs("benchmark comparison", "test report")
                .gates(GATE_PERFORMANCE, GATE_CODE_QUALITY)
                .task(TaskDefinition.builder("benchmark", PERFORMANCE).name("Benchmark against the baseline")
                    .description("Benchmark ${scope} against the baseline the profiling recorded.")
                    .acceptance("the comparison is an artifact", "no benchmark regresses")
                    .dependsOn("optimize").estimatedMinutes(45).build())
                .task(TaskDefinition.builder("regression-tests", TESTING).name("Run the regression tests")
                    .description("Run the regression tests after the optimization of ${scope}.")
                    .acceptance("every test passes")
                    .dependsOn("optimize").estimatedMinutes(30).build())
                .build())
            .buildChecked();
    }

    /**
     * Code made simpler without changing what it does, measured before and after:
     * <pre>
     * analyse ─┬─ reduce-complexity ──┬─ regression-tests ─┬─ review-refactoring
     *          └─ remove-duplication ─┘                    └─ document-changes
     * </pre>
     * The two refactoring tasks are decomposable: recovery may split them by the methods and blocks in their
     * context.
     *
     * @return the refactor workflow.
     */
    public static WorkflowDefinition refactor()
    {
        return WorkflowDefinition.builder(REFACTOR)
            .description("Make code simpler, behaviour unchanged: analysis, refactoring, testing, review and " +
                "documentation")
            .phase(PhaseDefinition.builder("analysis").name("Analysis")
                .requires(REVIEW, ARCHITECTURE)
                .outputs("refactoring plan")
                .task(TaskDefinition.builder("analyse", REVIEW).name("Find what to refactor")
                    .description("Analyse ${scope} in ${repo} for the methods and blocks that most need " +
                        "refactoring, and write the order to refactor them in, with the tests that protect each.")
                    .context("${context.complex}\n${context.duplication}\n${context.coverage}")
                    .acceptance("the plan names every method and block to change with file:line",
                        "the plan names the tests that cover each, or says a test must come first")
                    .estimatedMinutes(45).build())
                .build())
            .phase(PhaseDefinition.builder("refactoring").name("Refactoring")
                .requires(IMPLEMENTATION)
                .outputs("simpler code, behaviour unchanged")
                .gates(GATE_CODE_QUALITY)
                .task(TaskDefinition.builder("reduce-complexity", IMPLEMENTATION).name("Reduce complexity")
                    .description("Split the complex methods of ${scope} into smaller ones, behaviour unchanged.")
                    .context("Methods at or above the complexity gate:\n${context.complex}")
                    .acceptance("no method reaches a cyclomatic complexity of 10", "every existing test still passes")
                    .dependsOn("analyse").estimatedMinutes(120).decomposable(true).build())
                .task(TaskDefinition.builder("remove-duplication", IMPLEMENTATION).name("Remove duplication")
                    .description("Replace the repeated blocks of ${scope} by shared code, behaviour unchanged.")
                    .context("${context.duplication}")
                    .acceptance("duplicated lines are below 5 %", "every existing test still passes")
                    .dependsOn("analyse").estimatedMinutes(90).decomposable(true).build())
                .build())
            .phase(PhaseDefinition.builder("testing").name("Testing")
                .requires(TESTING)
                .outputs("regression tests", "test report")
                .gates(GATE_CODE_QUALITY)
                .task(TaskDefinition.builder("regression-tests", TESTING).name("Prove the behaviour unchanged")
                    .description("Run the tests of ${scope} and add tests around the refactored code where " +
                        "coverage is missing.")
                    .context("${context.coverage}\n${context.uncovered}")
                    .acceptance("every test passes", "each refactored method is covered by a test")
                    .dependsOn("reduce-complexity", "remove-duplication").estimatedMinutes(60).build())
                .build())
            .phase(PhaseDefinition.builder("review").name("Review and documentation")
                .requires(REVIEW, DOCUMENTATION)
                .outputs("review approval", "updated documentation")
                .gates(GATE_REVIEW, GATE_DOCUMENTATION)
                .task(TaskDefinition.builder("review-refactoring", REVIEW).name("Review the refactoring")
                    .description("Review the refactoring of ${scope}: behaviour unchanged, simpler, tested.")
                    .acceptance("the summary says approved, or lists what must change with file:line")
                    .dependsOn("regression-tests").estimatedMinutes(30).build())
                .task(TaskDefinition.builder("document-changes", DOCUMENTATION).name("Document the new structure")
                    .description("Document the types and methods the refactoring of ${scope} added or moved.")
                    .context("Public API without Javadoc:\n${context.undocumented}")
                    .acceptance("every public type and member added or moved has Javadoc")
                    .dependsOn("regression-tests").estimatedMinutes(30).build())
                .build())
            .buildChecked();
    }
}
