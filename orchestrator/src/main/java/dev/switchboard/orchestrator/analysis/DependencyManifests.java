/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.w3c.dom.Element;

import dev.switchboard.orchestrator.analysis.RepositoryAnalysis.Dependency;

/**
 * Reads declared dependencies from manifests, each with a deliberately small parser: Maven {@code pom.xml}
 * ({@code <dependency>} under {@code <dependencies>} and {@code <dependencyManagement>}, properties left
 * unresolved), {@code package.json} (the four dependency sections, with Jackson), {@code go.mod} ({@code require}
 * lines and blocks), {@code Cargo.toml} (keys of {@code [dependencies]}, {@code [dev-dependencies]} and
 * {@code [build-dependencies]}) and {@code requirements.txt} (one requirement a line). Thread-safe.
 */
final class DependencyManifests
{
    /** The manifest file names read for dependencies. */
    static final Set<String> FILE_NAMES = Set.of("pom.xml", "package.json", "go.mod", "Cargo.toml",
        "requirements.txt");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NPM_SECTIONS = List.of("dependencies", "devDependencies", "peerDependencies",
        "optionalDependencies");

    private DependencyManifests()
    {
    }

    /**
     * Reads one manifest.
     *
     * @param fileName     the name without directories, one of {@link #FILE_NAMES}.
     * @param relativePath recorded as {@link Dependency#declaredIn()}.
     * @param bytes        the content.
     * @return the dependencies in declared order.
     * @throws IOException when the content is malformed.
     */
    static List<Dependency> read(final String fileName, final String relativePath, final byte[] bytes)
        throws IOException
    {
        return switch (fileName)
        {
            case "pom.xml" -> maven(relativePath, bytes);
            case "package.json" -> npm(relativePath, bytes);
            case "go.mod" -> goModules(relativePath, text(bytes));
            case "Cargo.toml" -> cargo(relativePath, text(bytes));
            case "requirements.txt" -> requirements(relativePath, text(bytes));
            default -> List.of();
        };
    }

    /**
     * The modules a Maven pom declares.
     *
     * @param bytes the pom's content.
     * @return module directory names in declared order.
     * @throws IOException when the XML is malformed.
     */
    static List<String> mavenModules(final byte[] bytes) throws IOException
    {
        return SafeXml.children(SafeXml.child(SafeXml.parse(bytes).getDocumentElement(), "modules"), "module")
            .stream().map(m -> m.getTextContent().strip()).toList();
    }

    private static List<Dependency> maven(final String path, final byte[] bytes) throws IOException
    {
        final Element project = SafeXml.parse(bytes).getDocumentElement();
        final List<Element> declarations = new ArrayList<>(
            SafeXml.children(SafeXml.child(project, "dependencies"), "dependency"));
        declarations.addAll(SafeXml.children(
            SafeXml.child(SafeXml.child(project, "dependencyManagement"), "dependencies"), "dependency"));
        final List<Dependency> dependencies = new ArrayList<>();
        for (final Element dependency : declarations)
        {
            final String scope = SafeXml.childText(dependency, "scope");
            dependencies.add(new Dependency(ProjectType.MAVEN,
                SafeXml.childText(dependency, "groupId") + ":" + SafeXml.childText(dependency, "artifactId"),
                SafeXml.childText(dependency, "version"), scope.isEmpty() ? "compile" : scope, path));
        }
        return dependencies;
    }

    private static List<Dependency> npm(final String path, final byte[] bytes) throws IOException
    {
        final JsonNode root = JSON.readTree(bytes);
        final List<Dependency> dependencies = new ArrayList<>();
        for (final String section : NPM_SECTIONS)
        {
            final JsonNode declared = root == null ? null : root.get(section);
            if (declared != null && declared.isObject())
            {
                for (final Map.Entry<String, JsonNode> entry : declared.properties())
                {
                    dependencies.add(new Dependency(ProjectType.NPM, entry.getKey(), entry.getValue().asText(),
                        section, path));
                }
            }
        }
        return dependencies;
    }

    private static List<Dependency> goModules(final String path, final String text)
    {
        final List<Dependency> dependencies = new ArrayList<>();
        boolean inBlock = false;
        for (final String raw : text.split("\\R"))
        {
            final String line = stripComment(raw, "//");
            if (inBlock)
            {
                if (line.equals(")"))
                {
                    inBlock = false;
                }
                else if (!line.isEmpty())
                {
                    addGoRequirement(dependencies, path, line);
                }
            }
            else if (line.matches("require\\s*\\("))
            {
                inBlock = true;
            }
            else if (line.startsWith("require "))
            {
                addGoRequirement(dependencies, path, line.substring("require ".length()).strip());
            }
        }
        return dependencies;
    }

    private static void addGoRequirement(final List<Dependency> dependencies, final String path, final String line)
    {
        final String[] parts = line.split("\\s+");
        dependencies.add(new Dependency(ProjectType.GO, parts[0], parts.length > 1 ? parts[1] : "", "", path));
    }

    private static List<Dependency> cargo(final String path, final String text)
    {
        final List<Dependency> dependencies = new ArrayList<>();
        String section = "";
        for (final String raw : text.split("\\R"))
        {
            final String line = stripComment(raw, "#");
            if (line.startsWith("["))
            {
                section = line;
            }
            else if (section.matches("\\[(dev-|build-)?dependencies]") && line.contains("="))
            {
                final String name = line.substring(0, line.indexOf('=')).strip().replace("\"", "");
                final String value = line.substring(line.indexOf('=') + 1).strip();
                dependencies.add(new Dependency(ProjectType.CARGO, name, cargoVersion(value),
                    section.substring(1, section.length() - 1), path));
            }
        }
        return dependencies;
    }

    /** {@code "1.0"} or {@code { version = "1.0", ... }}; {@code ""} for path or git dependencies. */
    private static String cargoVersion(final String value)
    {
        if (value.startsWith("\""))
        {
            return value.replace("\"", "");
        }
        final Matcher version = Pattern.compile("version\\s*=\\s*\"([^\"]*)\"")
            .matcher(value);
        return version.find() ? version.group(1) : "";
    }

    private static List<Dependency> requirements(final String path, final String text)
    {
        final List<Dependency> dependencies = new ArrayList<>();
        for (final String raw : text.split("\\R"))
        {
            final String line = stripComment(raw, "#");
            if (line.isEmpty() || line.startsWith("-"))
            {
                continue; // options such as -r other.txt or -e .
            }
            final Matcher requirement = Pattern
                .compile("([A-Za-z0-9._\\-\\[\\]]+)\\s*(.*)").matcher(line);
            if (requirement.matches())
            {
                dependencies.add(new Dependency(ProjectType.PYTHON, requirement.group(1),
                    requirement.group(2).strip(), "", path));
            }
        }
        return dependencies;
    }

    private static String stripComment(final String line, final String marker)
    {
        final int at = line.indexOf(marker);
        return (at < 0 ? line : line.substring(0, at)).strip();
    }

    private static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
