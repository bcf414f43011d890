/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkflowTemplatesTest
{
    @Test
    void featureHasDesignImplementationTestingOptimizationDocumentation()
    {
        assertEquals(List.of("design", "implementation", "testing", "optimization", "documentation"),
            WorkflowTemplates.feature().phaseIds());
    }

    @Test
    void bugfixHasDiagnosisFixValidation()
    {
        assertEquals(List.of("diagnosis", "fix", "validation"), WorkflowTemplates.bugfix().phaseIds());
    }

    @Test
    void optimizationHasProfilingOptimizationValidation()
    {
        assertEquals(List.of("profiling", "optimization", "validation"),
            WorkflowTemplates.optimization().phaseIds());
    }

    @Test
    void onlyTheFeatureOptimizationPhaseIsOptional()
    {
        final WorkflowDefinition feature = WorkflowTemplates.feature();
        for (final PhaseDefinition phase : feature.phases())
        {
            assertEquals(phase.id().equals("optimization"), phase.optional(), phase.id());
        }
    }

    @Test
    void everyTemplatePhaseHasTasksOutputsAndKnownCapabilitiesCoveringItsTasks()
    {
        for (final String name : WorkflowTemplates.names())
        {
            final WorkflowDefinition workflow = WorkflowTemplates.byName(name);
            assertEquals(name, workflow.name());
            TaskGraph.of(workflow);
            for (final PhaseDefinition phase : workflow.phases())
            {
                assertFalse(phase.tasks().isEmpty(), name + "/" + phase.id());
                assertFalse(phase.outputs().isEmpty(), name + "/" + phase.id());
                assertTrue(Capabilities.known().containsAll(phase.requiredCapabilities()), name + "/" + phase.id());
                phase.tasks().forEach(task -> assertTrue(phase.requiredCapabilities().contains(task.capability())));
            }
        }
    }

    @Test
    void featureGatesMatchWhatEachPhaseProduces()
    {
        final WorkflowDefinition feature = WorkflowTemplates.feature();
        assertEquals(List.of("code-quality", "security"), feature.phase("implementation").orElseThrow().gates());
        assertEquals(List.of("performance"), feature.phase("optimization").orElseThrow().gates());
        assertEquals(List.of("documentation"), feature.phase("documentation").orElseThrow().gates());
    }

    @Test
    void byNameIgnoresCase()
    {
        assertEquals(WorkflowTemplates.bugfix(), WorkflowTemplates.byName("BugFix"));
    }

    @Test
    void byNameRejectsUnknownNameListingTheKnownOnes()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> WorkflowTemplates.byName("migration"));
        assertEquals("unknown workflow template 'migration'; known templates: feature, bugfix, optimization, refactor",
            ex.getMessage());
    }
}
