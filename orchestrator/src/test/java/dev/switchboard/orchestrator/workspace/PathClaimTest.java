/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathClaimTest
{
    @ParameterizedTest(name = "{0} and {1} overlap")
    @CsvSource({
        "src/Main.java, src/Main.java",
        "src, src/Main.java",
        "src/**, src/a/b/C.java",
        "**, docs/guide.md",
        "src/*.java, src/Main.java",
        "**/*.java, src/main/java/App.java",
        "src/Ma*.java, src/*in.java",
        "src/**/test/*.java, src/a/test/B.java",
        "src/**/Main.java, **/main/**",
        "src/?ain.java, src/Main.java",
        "'src/{a,b}.txt', src/a.txt",
        "src/main, src/main/java/**/*.java",
        "./src/, src/x"})
    void patternsThatCanCoverACommonPathOverlap(final String a, final String b)
    {
        assertAll(
            () -> assertTrue(PathClaim.of(a).overlaps(PathClaim.of(b))),
            () -> assertTrue(PathClaim.of(b).overlaps(PathClaim.of(a)), "overlap is symmetric"));
    }

    @ParameterizedTest(name = "{0} and {1} are apart")
    @CsvSource({
        "src/a.txt, src/b.txt",
        "src/a/**, src/b/**",
        "*.java, *.md",
        "src/**/*.java, docs/*.md",
        "src/main, src/mainly",
        "docs/*.md, src/**",
        "src/Foo*.java, src/Bar*.java",
        "src/?.txt, src/ab.txt"})
    void patternsThatCannotCoverACommonPathAreApart(final String a, final String b)
    {
        assertAll(
            () -> assertFalse(PathClaim.of(a).overlaps(PathClaim.of(b))),
            () -> assertFalse(PathClaim.of(b).overlaps(PathClaim.of(a)), "overlap is symmetric"));
    }

    @Test
    void aClaimOnADirectoryCoversEverythingUnderIt()
    {
        assertTrue(PathClaim.of("docs").overlaps(PathClaim.of("docs/api/index.html")));
    }

    @Test
    void aGlobCoversTheSubtreesOfItsMatchesTooSoAnyDepthFileGlobsMeetEveryDirectoryGlob()
    {
        // docs/x.md/y.java is covered by both: conservative, never wrong in the unsafe direction
        assertTrue(PathClaim.of("**/*.java").overlaps(PathClaim.of("docs/*.md")));
    }

    @Test
    void everythingOverlapsAnyClaim()
    {
        assertAll(
            () -> assertTrue(PathClaim.everything().overlaps(PathClaim.of("a/b/c.txt"))),
            () -> assertTrue(PathClaim.of(".").overlaps(PathClaim.of("x"))),
            () -> assertEquals(List.of("**"), PathClaim.of("./").patterns()));
    }

    @Test
    void overlapWithNamesThePatternsThatMeet()
    {
        assertEquals(List.of("src/**", "src/Main.java"),
            PathClaim.of("docs", "src/**").overlapWith(PathClaim.of("README.md", "src/Main.java")).orElseThrow());
    }

    @Test
    void patternsAreNormalised()
    {
        assertEquals(List.of("src/main", "a/b"), PathClaim.of("./src/main/", "a//b").patterns());
    }

    @Test
    void claimsStayInsideTheWorkflowsDirectory()
    {
        assertAll(
            () -> assertThrows(IllegalArgumentException.class, () -> PathClaim.of("/etc/passwd")),
            () -> assertThrows(IllegalArgumentException.class, () -> PathClaim.of("src/../../x")),
            () -> assertThrows(IllegalArgumentException.class, () -> new PathClaim(List.of())));
    }
}
