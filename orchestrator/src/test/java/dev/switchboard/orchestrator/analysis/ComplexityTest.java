/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.body.CallableDeclaration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each decision point adds one to cyclomatic complexity; nothing else does. */
class ComplexityTest
{
    private static int complexityOf(final String member)
    {
        return JavaSourceMetrics.complexity(StaticJavaParser.parseBodyDeclaration(member)
            .toCallableDeclaration().map(c -> (CallableDeclaration<?>)c).orElseThrow());
    }

    @Test
    void straightLineMethodIsOne()
    {
        assertEquals(1, complexityOf("void m() { int a = 1; a++; System.out.println(a); }"));
    }

    @Test
    void everyLoopBranchCatchAndBooleanOperatorCountsOnce()
    {
        assertEquals(1 + 8, complexityOf("""
            void m(int[] xs, boolean a, boolean b) {
                if (a) { } else if (b) { }
                for (int i = 0; i < 1; i++) { }
                for (int x : xs) { }
                while (a && b) { }
                do { } while (a || b);
            }"""));
    }

    @Test
    void caseLabelsCatchesAndConditionalsCountButDefaultDoesNot()
    {
        assertEquals(1 + 3 + 1 + 1, complexityOf("""
            int m(int x) {
                try {
                    switch (x) { case 1: case 2: break; case 3: break; default: break; }
                } catch (RuntimeException e) { }
                return x > 0 ? 1 : 0;
            }"""));
    }

    @Test
    void decisionsInALocalClassMethodBelongToThatMethodNotTheEnclosingOne()
    {
        assertEquals(1 + 1, complexityOf("""
            void m(boolean a) {
                if (a) { }
                Runnable r = new Runnable() { public void run() { if (a) { } while (a) { } } };
                Runnable l = () -> { };
            }"""));
    }
}
