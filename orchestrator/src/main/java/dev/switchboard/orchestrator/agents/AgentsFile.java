/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.agents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.orchestrator.workflow.Capabilities;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The named agents of a YAML file, such as the specification's roster:
 * <pre>
 * agents:
 *   - name: Testbed                       # required, unique
 *     capabilities: [testing]             # required, known capabilities
 *     command: [my-agent, --prompt-file, "${prompt.file}", --result, "${result.file}"]
 *     prompt: file                        # file (default), stdin or argument
 *     concurrency: 2                      # tasks at once, default 1
 *     timeout: 20m                        # 90s, 20m, 2h or seconds; default 30m
 *   - name: Docgen
 *     capabilities: [documentation]
 *     command: claude -p "$(cat ${prompt.file})"   # one string runs with sh -c, values shell-quoted
 * </pre>
 * The command's variables are those of {@link CommandTemplate}; {@code prompt: argument} needs {@code ${prompt}} in
 * the command. Every problem is reported at once, each as {@code file:line: message}. Immutable once loaded.
 *
 * @param source the file it was read from, as given.
 * @param agents the agents in file order.
 */
public record AgentsFile(String source, List<AgentSpec> agents)
{
    /** The file {@code invoke} reads when given none: {@value}, in the working directory. */
    public static final String DEFAULT_FILE = "agents.yaml";

    private static final Set<String> ROOT_FIELDS = Set.of("agents");
    private static final Set<String> AGENT_FIELDS =
        Set.of("name", "capabilities", "command", "prompt", "concurrency", "timeout");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    /** Copies. */
    public AgentsFile
    {
        agents = List.copyOf(agents);
    }

    /**
     * @param file a YAML agents file in UTF-8.
     * @return its agents.
     * @throws IOException          if it cannot be read.
     * @throws AgentsFileException  listing every problem, each at {@code file:line}.
     */
    public static AgentsFile load(final Path file) throws IOException
    {
        return parse(Files.readString(file), file.toString());
    }

    /**
     * @param text   the YAML.
     * @param source its file name, for messages.
     * @return its agents.
     * @throws AgentsFileException listing every problem, each at {@code source:line}.
     */
    public static AgentsFile parse(final String text, final String source)
    {
        final Optional<Node> root;
        try
        {
            root = new Compose(LoadSettings.builder().setLabel(source).build()).composeString(text);
        }
        catch (final MarkedYamlEngineException ex)
        {
            final int line = ex.getProblemMark().map(m -> m.getLine() + 1).orElse(1);
            throw new AgentsFileException(List.of(source + ":" + line + ": invalid YAML: " +
                ex.getProblem()));
        }
        catch (final YamlEngineException ex)
        {
            throw new AgentsFileException(List.of(source + ":1: invalid YAML: " + ex.getMessage()));
        }
        return new Reader(source).file(root.orElse(null));
    }

    /**
     * @param name an agent's name, exactly as the file spells it.
     * @return the agent.
     * @throws IllegalArgumentException naming the agents there are.
     */
    public AgentSpec agent(final String name)
    {
        return agents.stream().filter(a -> a.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no agent '" + name + "' in " + source + "; agents: " +
                String.join(", ", agents.stream().map(AgentSpec::name).toList())));
    }

    /** Walks the node tree, collecting problems; one per file. */
    private static final class Reader
    {
        private final String source;
        private final List<String> problems = new ArrayList<>();
        /** Where each name was first declared. */
        private final Map<String, String> declared = new LinkedHashMap<>();

        Reader(final String source)
        {
            this.source = source;
        }

        AgentsFile file(final Node root)
        {
            final Map<String, NodeTuple> fields = root == null ? null : mapping(root, ROOT_FIELDS, "an agents file");
            if (fields == null || !fields.containsKey("agents"))
            {
                problem(root, "expected a mapping with a list 'agents' of named agents");
                throw new AgentsFileException(problems);
            }
            final Node list = fields.get("agents").getValueNode();
            final List<AgentSpec> agents = new ArrayList<>();
            if (!(list instanceof SequenceNode sequence) || sequence.getValue().isEmpty())
            {
                problem(list, "'agents' must be a non-empty list of agents");
            }
            else
            {
                for (final Node entry : sequence.getValue())
                {
                    final AgentSpec agent = agent(entry);
                    if (agent != null)
                    {
                        agents.add(agent);
                    }
                }
            }
            if (!problems.isEmpty())
            {
                throw new AgentsFileException(problems);
            }
            return new AgentsFile(source, agents);
        }

        private AgentSpec agent(final Node node)
        {
            final Map<String, NodeTuple> fields = mapping(node, AGENT_FIELDS, "an agent");
            if (fields == null)
            {
                problem(node, "expected an agent mapping with fields " + sorted(AGENT_FIELDS));
                return null;
            }
            final int before = problems.size();
            final String name = requiredScalar(node, fields, "name");
            final String first = name == null ? null : declared.putIfAbsent(name, at(node));
            if (first != null)
            {
                problem(node, "agent '" + name + "' is declared twice, first at " + first);
            }
            final Set<String> capabilities = capabilities(node, fields);
            final CommandTemplate command = command(node, fields);
            PromptDelivery prompt = PromptDelivery.FILE;
            if (fields.containsKey("prompt"))
            {
                final String text = scalar(fields.get("prompt").getValueNode(), "prompt");
                prompt = text == null ? null : PromptDelivery.parse(text);
                if (text != null && prompt == null)
                {
                    problem(fields.get("prompt").getValueNode(), "prompt must be file, stdin or argument, not '" +
                        text + "'");
                }
            }
            final int concurrency = concurrency(fields);
            final Duration timeout = timeout(fields);
            if (command != null && prompt == PromptDelivery.ARGUMENT && !command.variables().contains("prompt"))
            {
                problem(fields.get("command").getValueNode(), "prompt: argument, but the command has no ${prompt} " +
                    "where the prompt goes");
            }
            if (problems.size() != before)
            {
                return null;
            }
            return new AgentSpec(name, capabilities, command, prompt, concurrency, timeout, at(node));
        }

        private Set<String> capabilities(final Node agent, final Map<String, NodeTuple> fields)
        {
            if (!fields.containsKey("capabilities"))
            {
                problem(agent, "missing required field 'capabilities'");
                return Set.of();
            }
            final Node value = fields.get("capabilities").getValueNode();
            final List<Node> items = value instanceof SequenceNode s ? s.getValue() : List.of(value);
            final Set<String> capabilities = new LinkedHashSet<>();
            for (final Node item : items)
            {
                final String capability = scalar(item, "capability");
                if (capability != null && !Capabilities.isKnown(capability))
                {
                    problem(item, "unknown capability '" + capability + "'; known capabilities: " +
                        Capabilities.knownList());
                }
                else if (capability != null)
                {
                    capabilities.add(capability);
                }
            }
            if (capabilities.isEmpty() && items.isEmpty())
            {
                problem(value, "capabilities must name at least one capability");
            }
            return capabilities;
        }

        private CommandTemplate command(final Node agent, final Map<String, NodeTuple> fields)
        {
            if (!fields.containsKey("command"))
            {
                problem(agent, "missing required field 'command'");
                return null;
            }
            final Node value = fields.get("command").getValueNode();
            final CommandTemplate command;
            if (value instanceof SequenceNode sequence)
            {
                final List<String> words = new ArrayList<>();
                for (final Node word : sequence.getValue())
                {
                    final String text = scalar(word, "command word");
                    words.add(text == null ? "" : text);
                }
                if (words.isEmpty() || words.getFirst().isBlank())
                {
                    problem(value, "command must start with a program");
                    return null;
                }
                command = CommandTemplate.argv(words);
            }
            else
            {
                final String line = scalar(value, "command");
                if (line == null || line.isBlank())
                {
                    problem(value, "command must be a list of words or one shell command line");
                    return null;
                }
                command = CommandTemplate.shell(line);
            }
            for (final String variable : command.variables())
            {
                if (!CommandTemplate.VARIABLES.contains(variable))
                {
                    problem(value, "unknown variable '${" + variable + "}' in command; known: " +
                        sorted(CommandTemplate.VARIABLES.stream().map(v -> "${" + v + "}").collect(
                            java.util.stream.Collectors.toSet())));
                }
            }
            return command;
        }

        private int concurrency(final Map<String, NodeTuple> fields)
        {
            if (!fields.containsKey("concurrency"))
            {
                return AgentSpec.DEFAULT_CONCURRENCY;
            }
            final Node node = fields.get("concurrency").getValueNode();
            final String text = scalar(node, "concurrency");
            if (text != null && text.matches("\\d{1,4}") && Integer.parseInt(text) >= 1)
            {
                return Integer.parseInt(text);
            }
            if (text != null)
            {
                problem(node, "concurrency must be a whole number from 1 to 9999, not '" + text + "'");
            }
            return AgentSpec.DEFAULT_CONCURRENCY;
        }

        private Duration timeout(final Map<String, NodeTuple> fields)
        {
            if (!fields.containsKey("timeout"))
            {
                return AgentSpec.DEFAULT_TIMEOUT;
            }
            final Node node = fields.get("timeout").getValueNode();
            final String text = scalar(node, "timeout");
            final Matcher matcher = text == null ? null : DURATION.matcher(text.trim());
            if (matcher != null && matcher.matches() && text.trim().length() <= 12)
            {
                final long amount = Long.parseLong(matcher.group(1));
                final Duration timeout = switch (matcher.group(2) == null ? "s" : matcher.group(2))
                {
                    case "ms" -> Duration.ofMillis(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofSeconds(amount);
                };
                if (!timeout.isZero())
                {
                    return timeout;
                }
            }
            if (text != null)
            {
                problem(node, "timeout must be a positive duration such as 90s, 20m or 2h (seconds when no unit), " +
                    "not '" + text + "'");
            }
            return AgentSpec.DEFAULT_TIMEOUT;
        }

        /** The fields of a mapping node, unknown and repeated keys reported; {@code null} when it is no mapping. */
        private Map<String, NodeTuple> mapping(final Node node, final Set<String> known, final String what)
        {
            if (!(node instanceof MappingNode mapping))
            {
                return null;
            }
            final Map<String, NodeTuple> fields = new LinkedHashMap<>();
            for (final NodeTuple tuple : mapping.getValue())
            {
                final String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                if (key == null || !known.contains(key))
                {
                    problem(tuple.getKeyNode(), "unknown field '" + key + "'; the fields of " + what + " are " +
                        sorted(known));
                }
                else if (fields.putIfAbsent(key, tuple) != null)
                {
                    problem(tuple.getKeyNode(), "field '" + key + "' is given twice");
                }
            }
            return fields;
        }

        private String requiredScalar(final Node owner, final Map<String, NodeTuple> fields, final String field)
        {
            if (!fields.containsKey(field))
            {
                problem(owner, "missing required field '" + field + "'");
                return null;
            }
            final String text = scalar(fields.get(field).getValueNode(), field);
            if (text != null && text.isBlank())
            {
                problem(fields.get(field).getValueNode(), field + " must not be blank");
                return null;
            }
            return text;
        }

        /** The scalar's text, or {@code null} after reporting that the node is no scalar. */
        private String scalar(final Node node, final String what)
        {
            if (node instanceof ScalarNode scalar)
            {
                return scalar.getValue();
            }
            problem(node, what + " must be a single value, not a " +
                (node instanceof SequenceNode ? "list" : node instanceof MappingNode ? "mapping" : "null"));
            return null;
        }

        private void problem(final Node node, final String message)
        {
            problems.add(at(node) + ": " + message);
        }

        private String at(final Node node)
        {
            final int line = node == null ? 1 : node.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(1);
            return source + ":" + line;
        }

        private static String sorted(final Set<String> names)
        {
            return String.join(", ", names.stream().sorted().toList());
        }
    }
}
