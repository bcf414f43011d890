/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.orchestrator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a made-up Maven project of a given number of files, the same bytes for the same seed and size: the input of
 * the plan-generation benchmark. About 78 % of the files are Java sources under {@code src/main/java} (20 packages;
 * each class 3-8 public methods, about 70 % of them with Javadoc, some with branches and loops, some sharing a
 * copied block so duplication is not zero), about 20 % are JUnit tests under {@code src/test/java}, and the rest are
 * a {@code pom.xml}, a README, docs, resources and scripts.
 *
 * <p>Stateless; allocation: per file.
 */
public final class SyntheticRepository
{
    /** Files besides the Java sources: pom, README, .gitignore, docs, resources, scripts. */
    public static final int OTHER_FILES = 24;
    /** Smallest repository it writes: the other files and a few classes. */
    public static final int MIN_FILES = OTHER_FILES + 4;
    /** Largest, a limit so a typo cannot fill the disk. */
    public static final int MAX_FILES = 100_000;

    private static final int PACKAGES = 20;
    private static final String BASE = "com/example/shop";

    private SyntheticRepository()
    {
    }

    /**
     * @param dir   an empty or missing directory.
     * @param files how many files to write, {@value #MIN_FILES} to {@value #MAX_FILES}.
     * @param seed  the same seed and size give the same repository.
     * @return the number of files written ({@code files}).
     * @throws IOException when a file cannot be written.
     * @throws IllegalArgumentException when {@code files} is out of range.
     */
    public static int generate(final Path dir, final int files, final long seed) throws IOException
    {
        if (files < MIN_FILES || files > MAX_FILES)
        {
            throw new IllegalArgumentException("a synthetic repository has " + MIN_FILES + " to " + MAX_FILES +
                " files, asked for " + files);
        }
        final SplittableRandom random = new SplittableRandom(seed);
        int written = writeOtherFiles(dir);
        final int javaFiles = files - written;
        final int tests = javaFiles / 5;
        final int classes = javaFiles - tests;
        for (int i = 0; i < classes; i++)
        {
            final String pkg = "p" + String.format(Locale.ROOT, "%02d", i % PACKAGES);
            final String name = className(i);
            write(dir.resolve("src/main/java").resolve(BASE).resolve(pkg).resolve(name + ".java"),
                mainClass(pkg, name, random));
            written++;
        }
        for (int i = 0; i < tests; i++)
        {
            // every fourth class has a test, spread over the packages
            final int tested = (i * 4) % classes;
            final String pkg = "p" + String.format(Locale.ROOT, "%02d", tested % PACKAGES);
            write(dir.resolve("src/test/java").resolve(BASE).resolve(pkg).resolve(className(tested) + "Test.java"),
                testClass(pkg, className(tested), random));
            written++;
        }
        return written;
    }

    private static String className(final int i)
    {
        final String[] nouns = {"Order", "Invoice", "Cart", "Customer", "Payment", "Shipment", "Catalog", "Price",
            "Stock", "Coupon", "Review", "Refund"};
        return nouns[i % nouns.length] + "Service" + i;
    }

    private static int writeOtherFiles(final Path dir) throws IOException
    {
        int n = 0;
        write(dir.resolve("pom.xml"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>com.example</groupId>
              <artifactId>shop</artifactId>
              <version>1.0.0-SNAPSHOT</version>
              <dependencies>
                <dependency>
                  <groupId>org.slf4j</groupId>
                  <artifactId>slf4j-api</artifactId>
                  <version>2.0.20</version>
                </dependency>
                <dependency>
                  <groupId>org.junit.jupiter</groupId>
                  <artifactId>junit-jupiter</artifactId>
                  <version>5.14.0</version>
                  <scope>test</scope>
                </dependency>
              </dependencies>
            </project>
            """);
        n++;
        write(dir.resolve("README.md"), "# shop\n\nA generated repository for the plan-generation benchmark.\n");
        n++;
        write(dir.resolve(".gitignore"), "target/\n*.class\n");
        n++;
        for (int i = 0; i < 6; i++)
        {
            write(dir.resolve("docs").resolve("guide-" + i + ".md"), "# Guide " + i + "\n\nHow the shop works, " +
                "part " + i + ".\n");
            n++;
        }
        for (int i = 0; i < 10; i++)
        {
            write(dir.resolve("src/main/resources").resolve("app-" + i + ".properties"),
                "shop.region=" + i + "\nshop.currency=EUR\nshop.timeout.ms=" + (100 * (i + 1)) + "\n");
            n++;
        }
        for (int i = 0; i < 5; i++)
        {
            write(dir.resolve("scripts").resolve("task-" + i + ".sh"), "#!/bin/sh\nset -eu\necho task " + i + "\n");
            n++;
        }
        return n;
    }

    private static String mainClass(final String pkg, final String name, final SplittableRandom random)
    {
        // Most lines carry the class's and method's names, so only the copied block below repeats across files
        // (the duplication scanner compares windows of lines).
        final StringBuilder s = new StringBuilder(4096);
        s.append("package com.example.shop.").append(pkg).append(";\n\n")
            .append("import java.util.ArrayList;\nimport java.util.List;\nimport java.util.Map;\n\n");
        if (random.nextInt(10) < 8)
        {
            s.append("/** Handles ").append(name).append(" requests. */\n");
        }
        s.append("public class ").append(name).append("\n{\n")
            .append("    private final Map<String, Long> totals").append(name).append(";\n\n")
            .append("    public ").append(name).append("(final Map<String, Long> totals)\n    {\n")
            .append("        this.totals").append(name).append(" = totals;\n    }\n");
        final int methods = 3 + random.nextInt(6);
        for (int m = 0; m < methods; m++)
        {
            final String field = "totals" + name;
            final String local = "found" + m;
            s.append('\n');
            if (random.nextInt(10) < 7)
            {
                s.append("    /**\n     * Step ").append(m).append(" of ").append(name).append(".\n     *\n")
                    .append("     * @param key").append(m).append(" what to look up.\n")
                    .append("     * @param limit").append(m).append(" at most this many.\n")
                    .append("     * @return the values ").append(name).append(" found.\n     */\n");
            }
            s.append("    public List<Long> step").append(m).append("(final String key").append(m)
                .append(", final int limit").append(m).append(")\n    {\n")
                .append("        final List<Long> ").append(local).append(" = new ArrayList<>(")
                .append(random.nextInt(1000)).append(");\n");
            final int branches = random.nextInt(5);
            for (int b = 0; b < branches; b++)
            {
                s.append("        if (key").append(m).append(".length() > ").append(b).append(" && limit").append(m)
                    .append(" > ").append(random.nextInt(10_000)).append(")\n        {\n")
                    .append("            ").append(local).append(".add(").append(field).append(".getOrDefault(key")
                    .append(m).append(", ").append(random.nextLong(1_000_000)).append("L));\n        }\n");
            }
            if (random.nextBoolean())
            {
                s.append("        for (int i").append(m).append(" = 0; i").append(m).append(" < limit").append(m)
                    .append("; i").append(m).append("++)\n        {\n")
                    .append("            ").append(local).append(".add((long)i").append(m).append(" * ")
                    .append(random.nextInt(100_000)).append(");\n        }\n");
            }
            if (random.nextInt(20) == 0)
            {
                // the same block in several classes: something for the duplication scanner to find
                s.append("        long sum = 0;\n        for (final Long v : values)\n        {\n")
                    .append("            sum += v;\n        }\n        if (sum > 1000)\n        {\n")
                    .append("            values.clear();\n        }\n        totals.put(key, sum);\n");
            }
            s.append("        return ").append(local).append(";\n    }\n");
        }
        s.append("}\n");
        return s.toString();
    }

    private static String testClass(final String pkg, final String tested, final SplittableRandom random)
    {
        final StringBuilder s = new StringBuilder(1024);
        s.append("package com.example.shop.").append(pkg).append(";\n\n")
            .append("import static org.junit.jupiter.api.Assertions.assertEquals;\n\n")
            .append("import java.util.HashMap;\n\nimport org.junit.jupiter.api.Test;\n\n")
            .append("class ").append(tested).append("Test\n{\n");
        final int tests = 1 + random.nextInt(3);
        for (int t = 0; t < tests; t++)
        {
            s.append("    @Test\n    void stepZeroReturnsAtMostTheLimit").append(t).append("()\n    {\n")
                .append("        final ").append(tested).append(" service = new ").append(tested)
                .append("(new HashMap<>());\n")
                .append("        assertEquals(").append(t).append(", service.step0(\"k\", ").append(t)
                .append(").size() > 0 ? ").append(t).append(" : ").append(t).append(");\n    }\n");
        }
        s.append("}\n");
        return s.toString();
    }

    private static void write(final Path file, final String text) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
