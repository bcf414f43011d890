/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.switchboard.orchestrator.gates.Measurement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain-Java measurements: secrets, README, comment ratio, dependency audit. */
class TreeScansTest
{
    // Written in two pieces so that this file itself holds no secret the scan would find.
    private static final String AWS_KEY = "AKIA" + "Q3EGRTLMNB7XZPAD";
    private static final String PEM = "-----BEGIN RSA " + "PRIVATE KEY-----";

    @TempDir
    Path repo;

    @Test
    void aHardCodedSecretIsFoundWithItsFileAndLine() throws Exception
    {
        final Path source = repo.resolve("src/main/java/demo/Config.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package demo;\n\nclass Config\n{\n    static final String KEY = \"" + AWS_KEY +
            "\";\n    String password = \"hunter2hunter2\";\n}\n");
        Files.writeString(repo.resolve("deploy.pem"), PEM + "\nMIIE\n");
        final List<SecretsScan.Finding> findings = SecretsScan.scan(repo);
        final Measurement measured = SecretsScan.measure(repo);
        assertAll(
            () -> assertEquals(List.of("deploy.pem:1 (private key)",
                "src/main/java/demo/Config.java:5 (AWS access key id)",
                "src/main/java/demo/Config.java:6 (credential literal)"),
                findings.stream().map(SecretsScan.Finding::toString).sorted().toList()),
            () -> assertEquals(3.0, measured.value().orElseThrow()),
            () -> assertTrue(!measured.note().contains(AWS_KEY), "the secret itself is never repeated"),
            () -> assertEquals(3, measured.details().size(), measured.details().toString()),
            () -> assertTrue(measured.details().stream().noneMatch(d -> d.contains(AWS_KEY) || d.contains("hunter2")),
                "nor in the details"));
    }

    @Test
    void buildOutputPlaceholdersAndAllowedFixturesAreNotSecrets() throws Exception
    {
        Files.createDirectories(repo.resolve("target"));
        Files.writeString(repo.resolve("target/Leaked.java"), "String k = \"" + AWS_KEY + "\";\n");
        Files.writeString(repo.resolve("app.properties"), "password=${DB_PASSWORD}\napi_key = \"" + AWS_KEY +
            "\" # " + SecretsScan.ALLOW_MARKER + "\n");
        assertEquals(0.0, SecretsScan.measure(repo).value().orElseThrow());
    }

    @Test
    void readmeCompletenessNamesTheMissingSections() throws Exception
    {
        Files.writeString(repo.resolve("README.md"), """
            # Inventory

            A small service that tracks stock and reorders when it runs low.

            ## Build
            ```
            # not a heading
            mvn package
            ```
            ## Usage
            Run it.
            """);
        final Measurement readme = ReadmeCompleteness.measure(repo);
        assertAll(
            () -> assertEquals(80.0, readme.value().orElseThrow()),
            () -> assertEquals("README.md: missing tests", readme.note()),
            () -> assertEquals(List.of("missing: tests (a heading such as Tests or Testing)"), readme.details()));
    }

    @Test
    void noReadmeScoresZero() throws Exception
    {
        assertEquals(0.0, ReadmeCompleteness.measure(repo).value().orElseThrow());
    }

    @Test
    void commentRatioCountsCommentOnlyLines() throws Exception
    {
        final Path source = repo.resolve("A.java");
        Files.writeString(source, """
            /**
             * Javadoc.
             */
            class A
            {
                // why
                String url = "http://example.com"; // code with a trailing comment
                /* block */ int x;
            }
            """);
        final SourceLines lines = SourceLines.count(List.of(source));
        assertAll(
            () -> assertEquals(4, lines.commentLines()),
            () -> assertEquals(5, lines.codeLines()),
            () -> assertEquals(44.4, lines.commentRatio().value().orElseThrow()));
    }

    @Test
    void commentRatioDetailsListTheLeastCommentedFilesFirst() throws Exception
    {
        final Path bare = repo.resolve("src/Bare.java");
        final Path commented = repo.resolve("src/Commented.java");
        Files.createDirectories(bare.getParent());
        Files.writeString(bare, "class Bare\n{\n}\n");
        Files.writeString(commented, "// why\nclass Commented\n{\n}\n");
        final Measurement ratio = SourceLines.commentRatio(repo, List.of(commented, bare));
        assertAll(
            () -> assertEquals(14.3, ratio.value().orElseThrow()),
            () -> assertEquals(List.of("src/Bare.java: 0 comment and 3 code lines (0.0 %)",
                "src/Commented.java: 1 comment and 3 code lines (25.0 %)"), ratio.details()));
    }

    @Test
    void dependencyAuditMatchesResolvedVersionsAgainstTheAdvisoryFile() throws Exception
    {
        final Path file = repo.resolve("advisories.tsv");
        Files.writeString(file, """
            # coordinates\taffected\tid
            org.apache.logging.log4j:log4j-core\t[2.0-beta9,2.15.0)\tCVE-2021-44228
            com.example:lib\t1.0|[3.0,)\tEX-1
            """);
        final Measurement audit = DependencyAudit.audit(List.of(
            "The following files have been resolved:",
            "   org.apache.logging.log4j:log4j-core:jar:2.14.1:compile -- module org.apache.logging.log4j.core",
            "   org.apache.logging.log4j:log4j-api:jar:2.14.1:compile",
            "   com.example:lib:jar:2.0:test"), AdvisoryDatabase.read(file), file);
        assertAll(
            () -> assertEquals(1.0, audit.value().orElseThrow()),
            () -> assertTrue(audit.note().endsWith(": org.apache.logging.log4j:log4j-core:2.14.1 [CVE-2021-44228]"),
                audit.note()),
            () -> assertEquals(List.of("org.apache.logging.log4j:log4j-core:2.14.1 [CVE-2021-44228]"),
                audit.details()));
    }

    @Test
    void versionsCompareAsMavenOrdersTheCommonCases()
    {
        assertAll(
            () -> assertTrue(AdvisoryDatabase.compare("1.0-beta", "1.0") < 0),
            () -> assertTrue(AdvisoryDatabase.compare("1.10", "1.9") > 0),
            () -> assertEquals(0, AdvisoryDatabase.compare("1.0", "1.0.0")),
            () -> assertTrue(AdvisoryDatabase.inRange("[2.0,2.15.0)", "2.14.1")),
            () -> assertTrue(!AdvisoryDatabase.inRange("[2.0,2.15.0)", "2.15.0")));
    }
}
