/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the small repositories the analysis tests read. {@link #mixed(Path)} is a Maven project with an npm web
 * part and a Go tools part; the numbers the tests expect are worked out in the comments beside each file.
 */
final class FixtureRepository
{
    private FixtureRepository()
    {
    }

    static void write(final Path root, final String relativePath, final String content)
    {
        try
        {
            final Path file = root.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    static Path mixed(final Path root)
    {
        write(root, "pom.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>ex</groupId>
              <artifactId>demo</artifactId>
              <version>1</version>
              <modules>
                <module>core</module>
              </modules>
              <dependencies>
                <dependency>
                  <groupId>com.example</groupId>
                  <artifactId>lib</artifactId>
                  <version>1.2.3</version>
                </dependency>
                <dependency>
                  <groupId>org.junit.jupiter</groupId>
                  <artifactId>junit-jupiter</artifactId>
                  <version>5.14.0</version>
                  <scope>test</scope>
                </dependency>
              </dependencies>
              <build>
                <plugins>
                  <plugin>
                    <artifactId>some-plugin</artifactId>
                    <dependencies>
                      <dependency><groupId>not</groupId><artifactId>counted</artifactId></dependency>
                    </dependencies>
                  </plugin>
                </plugins>
              </build>
            </project>
            """);
        // 31 non-blank lines. Public API: the type, add, classify, grade; classify (line 14) has no Javadoc.
        // Complexity: add 1; classify 1 + if + && + ?: = 4; grade 1 + nine case labels = 10.
        write(root, "src/main/java/ex/Calculator.java", """
            package ex;

            /** Arithmetic for the fixture. */
            public class Calculator
            {
                /**
                 * Adds two numbers.
                 */
                public int add(final int a, final int b)
                {
                    return a + b;
                }

                public int classify(final int x, final boolean flag)
                {
                    if (x > 0 && flag)
                    {
                        return 1;
                    }
                    return flag ? 2 : 3;
                }

                /** Grades a score. */
                public String grade(final int score)
                {
                    return switch (score)
                    {
                        case 1, 2, 3 -> "low";
                        case 4, 5, 6 -> "mid";
                        case 7, 8, 9 -> "high";
                        default -> "unknown";
                    };
                }
            }
            """);
        // 22 non-blank lines; package-private, so no public API. The bodies of first and second repeat: each
        // copy's 8 lines from "{" to "}" lie in a repeated 6-line window, 16 duplicated lines. Complexity 1 each.
        write(root, "src/main/java/ex/Copies.java", """
            package ex;

            class Copies
            {
                int first(final int[] values)
                {
                    int sum = 0;
                    sum += values[0];
                    sum += values[1];
                    sum += values[2];
                    sum += values[3];
                    return sum;
                }

                int second(final int[] values)
                {
                    int sum = 0;
                    sum += values[0];
                    sum += values[1];
                    sum += values[2];
                    sum += values[3];
                    return sum;
                }
            }
            """);
        // 4 non-blank lines; a test, so outside the API and complexity counts but inside duplication.
        write(root, "src/test/java/ex/CalculatorTest.java", """
            package ex;

            class CalculatorTest
            {
            }
            """);
        write(root, "web/package.json", """
            {
              "name": "web",
              "dependencies": { "left-pad": "^1.3.0" },
              "devDependencies": { "jest": "29.7.0" }
            }
            """);
        // 1 non-blank line: 31 + 22 + 4 + 1 = 58 code lines in all.
        write(root, "web/app.test.js", "test(\"adds\", () => {});\n");
        // LF 40, LH 30.
        write(root, "web/coverage/lcov.info", """
            TN:
            SF:web/app.js
            LF:10
            LH:5
            end_of_record
            SF:web/other.js
            LF:30
            LH:25
            end_of_record
            """);
        write(root, "tools/go.mod", """
            module example.com/tools

            go 1.22

            require github.com/pkg/errors v0.9.1

            require (
            	golang.org/x/text v0.14.0 // indirect
            	rsc.io/quote v1.5.2
            )
            """);
        write(root, "tools/go.sum", "github.com/pkg/errors v0.9.1 h1:abc=\n");
        // Report level LINE: 75 covered, 25 missed. The package-level counter must be ignored.
        write(root, "target/site/jacoco/jacoco.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
            <!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">\
            <report name="demo"><sessioninfo id="x" start="1" dump="2"/>\
            <package name="ex"><counter type="LINE" missed="100" covered="1"/></package>\
            <counter type="INSTRUCTION" missed="10" covered="90"/>\
            <counter type="LINE" missed="25" covered="75"/></report>
            """);
        // Compiled output must not count as structure or code.
        write(root, "target/classes/ex/Generated.java", "public class Generated { public void x() { } }\n");
        write(root, "node_modules/dep/index.js", "module.exports = 1;\n");
        return root;
    }
}
