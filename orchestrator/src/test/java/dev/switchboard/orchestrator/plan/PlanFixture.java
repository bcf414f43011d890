/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small repositories written into a test's temporary directory, shared by the plan and command line tests. */
public final class PlanFixture
{
    private PlanFixture()
    {
    }

    /**
     * A Maven project with two Java sources (one public method undocumented) and one test, and no coverage report.
     *
     * @param root an empty directory.
     * @return {@code root}.
     * @throws IOException when a file cannot be written.
     */
    public static Path mavenProject(final Path root) throws IOException
    {
        write(root, "pom.xml", """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>demo</groupId>
              <artifactId>calculator</artifactId>
              <version>1.0</version>
              <dependencies>
                <dependency>
                  <groupId>org.junit.jupiter</groupId>
                  <artifactId>junit-jupiter</artifactId>
                  <version>5.11.0</version>
                  <scope>test</scope>
                </dependency>
              </dependencies>
            </project>
            """);
        write(root, "src/main/java/demo/Calculator.java", """
            package demo;

            /** Adds and compares. */
            public class Calculator
            {
                /** @return the sum. */
                public int add(int a, int b)
                {
                    return a + b;
                }

                public int sign(int value)
                {
                    if (value > 0)
                    {
                        return 1;
                    }
                    return value < 0 ? -1 : 0;
                }
            }
            """);
        write(root, "src/main/java/demo/Main.java", """
            package demo;

            /** Prints a sum. */
            public final class Main
            {
                /** @param args ignored. */
                public static void main(String[] args)
                {
                    System.out.println(new Calculator().add(1, 2));
                }
            }
            """);
        write(root, "src/test/java/demo/CalculatorTest.java", """
            package demo;

            class CalculatorTest
            {
                void addsTwoNumbers()
                {
                    assert new Calculator().add(1, 2) == 3;
                }
            }
            """);
        return root;
    }

    /**
     * {@link #mavenProject} with an lcov report of 5 of 8 lines covered: 62.5 %.
     *
     * @param root an empty directory.
     * @return {@code root}.
     * @throws IOException when a file cannot be written.
     */
    public static Path mavenProjectWithCoverage(final Path root) throws IOException
    {
        mavenProject(root);
        write(root, "lcov.info", "LF:8\nLH:5\n");
        return root;
    }

    /**
     * Writes a file, creating its directories.
     *
     * @param root     the repository.
     * @param relative the file's path under it.
     * @param text     the content.
     * @return the file.
     * @throws IOException when it cannot be written.
     */
    public static Path write(final Path root, final String relative, final String text) throws IOException
    {
        final Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
