/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.router.access;

import dev.switchboard.security.PeerCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who gets which role, and what each role may do: the router's access policy, read from a line-oriented file
 * (property {@value #PROPERTY}). One statement per line; {@code #} starts a comment:
 *
 * <pre>
 * # a role line replaces some of that role's built-in grants (see Grants)
 * role agent publish=jobs.*,status.* broadcast=HIGH,NORMAL
 * role observer subscribe=status.*
 *
 * # peer lines map a connection to a role; the first line whose conditions all hold wins
 * peer user=alice role=coordinator
 * peer uid=1000 name=worker-* role=agent          # name: the agent name being registered
 * peer group=ops role=observer
 * peer subject=billing-* role=agent               # subject: the JWT's sub claim (a JWT is then required)
 * peer user=* role=observer                        # anyone else who can reach the socket
 * </pre>
 *
 * Conditions: {@code uid}, {@code gid} (numbers), {@code user}, {@code group}, {@code name}, {@code subject}
 * (globs). {@code user}/{@code uid}/{@code group}/{@code gid} are the kernel's {@code SO_PEERCRED} of the control
 * connection (primary group only). A connection none of whose peer lines could match its user and group is refused
 * when it connects; the rest is decided at Register. A JWT's {@code role} claim, when present, takes the place of
 * the peer lines' role (the token's issuer decides), but the peer must still be admitted at connect.
 *
 * <p>Without a policy file the router uses {@link #sameUser(PeerCredentials)}: peers running as the router's own
 * user are admin, every other user is refused.
 *
 * <p>Errors name the file and line: {@code policy.conf:7: unknown condition 'usr'...}.
 *
 * <p>Thread-safety: immutable. Allocation: in matching (control plane only).
 */
public final class AccessPolicy
{
    /** System property naming the policy file. */
    public static final String PROPERTY = "switchboard.auth.policy.file";
    /** Most lines a policy file may have. */
    public static final int MAX_LINES = 10_000;

    private final String source;
    private final List<Rule> rules;
    private final Map<Role, Grants> grants;

    private AccessPolicy(final String source, final List<Rule> rules, final Map<Role, Grants> grants)
    {
        this.source = source;
        this.rules = List.copyOf(rules);
        this.grants = grants;
    }

    /**
     * One peer line.
     *
     * @param line    line number in the source.
     * @param uid     uid to match, or -1 for any.
     * @param gid     gid to match, or -1 for any.
     * @param user    user name glob, or null for any.
     * @param group   group name glob, or null for any.
     * @param name    agent name glob, or null for any.
     * @param subject JWT subject glob, or null when the rule does not need a JWT.
     * @param role    the role granted.
     */
    public record Rule(int line, int uid, int gid, String user, String group, String name, String subject, Role role)
    {
        boolean matchesPeer(final PeerCredentials peer)
        {
            return (uid < 0 || uid == peer.uid()) && (gid < 0 || gid == peer.gid()) &&
                (user == null || Glob.matches(user, peer.user())) && (group == null || Glob.matches(group, peer.group()));
        }

        boolean matches(final PeerCredentials peer, final String agentName, final String jwtSubject)
        {
            return matchesPeer(peer) && (name == null || Glob.matches(name, agentName)) &&
                (subject == null || (jwtSubject != null && Glob.matches(subject, jwtSubject)));
        }
    }

    /**
     * The policy in force without a policy file: the router's own user is admin, nobody else is admitted.
     *
     * @param self the router's credentials.
     * @return the policy.
     */
    public static AccessPolicy sameUser(final PeerCredentials self)
    {
        final Rule rule = new Rule(0, self.uid(), -1, self.uid() < 0 ? self.user() : null, null, null, null, Role.ADMIN);
        return new AccessPolicy("built-in policy (same user as the router is admin)", List.of(rule), defaultGrants());
    }

    /**
     * Reads a policy file.
     *
     * @param path the file.
     * @return the policy.
     * @throws IllegalArgumentException naming the file (and line) when it cannot be read or is wrong.
     */
    public static AccessPolicy load(final Path path)
    {
        final List<String> lines;
        try
        {
            if (Files.size(path) > 1024 * 1024)
            {
                throw new IllegalArgumentException(path + ": a policy file is at most 1 MiB; this one is " +
                    Files.size(path) + " bytes");
            }
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(path + ": cannot read the policy file: " + ex, ex);
        }
        return parse(path.toString(), lines);
    }

    /**
     * Parses policy text.
     *
     * @param source name for error messages (the file path).
     * @param lines  the lines.
     * @return the policy.
     * @throws IllegalArgumentException as {@code source:line: what is wrong}.
     */
    public static AccessPolicy parse(final String source, final List<String> lines)
    {
        if (lines.size() > MAX_LINES)
        {
            throw new IllegalArgumentException(source + ": " + lines.size() + " lines; the limit is " + MAX_LINES);
        }
        final Map<Role, Grants> grants = defaultGrants();
        final List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final int lineNo = i + 1;
            String line = lines.get(i);
            final int hash = line.indexOf('#');
            if (hash >= 0)
            {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty())
            {
                continue;
            }
            final String[] words = line.split("\\s+");
            try
            {
                switch (words[0])
                {
                    case "role" -> parseRole(words, grants);
                    case "peer" -> rules.add(parsePeer(lineNo, words));
                    default -> throw new IllegalArgumentException("unknown statement '" + words[0] +
                        "'; a line starts with 'role' or 'peer'");
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(source + ":" + lineNo + ": " + ex.getMessage(), ex);
            }
        }
        return new AccessPolicy(source, rules, grants);
    }

    private static void parseRole(final String[] words, final Map<Role, Grants> grants)
    {
        if (words.length < 3)
        {
            throw new IllegalArgumentException("expected 'role <name> <grant>=<value> ...'");
        }
        final Role role = Role.parse(words[1]);
        final Map<String, String> overrides = new LinkedHashMap<>();
        for (int w = 2; w < words.length; w++)
        {
            final String[] kv = keyValue(words[w]);
            overrides.put(kv[0], kv[1]);
        }
        grants.put(role, grants.get(role).with(overrides));
    }

    private static Rule parsePeer(final int lineNo, final String[] words)
    {
        int uid = -1;
        int gid = -1;
        String user = null;
        String group = null;
        String name = null;
        String subject = null;
        Role role = null;
        for (int w = 1; w < words.length; w++)
        {
            final String[] kv = keyValue(words[w]);
            switch (kv[0])
            {
                case "uid" -> uid = number("uid", kv[1]);
                case "gid" -> gid = number("gid", kv[1]);
                case "user" -> user = kv[1];
                case "group" -> group = kv[1];
                case "name" -> name = kv[1];
                case "subject" -> subject = kv[1];
                case "role" -> role = Role.parse(kv[1]);
                default -> throw new IllegalArgumentException("unknown condition '" + kv[0] +
                    "'; a peer line has uid, gid, user, group, name, subject and role");
            }
        }
        if (role == null)
        {
            throw new IllegalArgumentException("peer line without role=<observer|agent|coordinator|admin>");
        }
        if (uid < 0 && gid < 0 && user == null && group == null && name == null && subject == null)
        {
            throw new IllegalArgumentException("peer line without a condition; write user=* to admit everyone");
        }
        return new Rule(lineNo, uid, gid, user, group, name, subject, role);
    }

    private static String[] keyValue(final String word)
    {
        final int eq = word.indexOf('=');
        if (eq <= 0 || eq == word.length() - 1)
        {
            throw new IllegalArgumentException("expected key=value, not '" + word + "'");
        }
        return new String[] {word.substring(0, eq), word.substring(eq + 1)};
    }

    private static int number(final String what, final String text)
    {
        if ("*".equals(text))
        {
            return -1;
        }
        try
        {
            final int v = Integer.parseInt(text);
            if (v < 0)
            {
                throw new NumberFormatException();
            }
            return v;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(what + " must be a number >= 0 or *, not '" + text + "'");
        }
    }

    private static Map<Role, Grants> defaultGrants()
    {
        final Map<Role, Grants> m = new EnumMap<>(Role.class);
        for (final Role r : Role.values())
        {
            m.put(r, Grants.defaults(r));
        }
        return m;
    }

    /** @return where the policy came from. */
    public String source()
    {
        return source;
    }

    /** @return the peer lines, in order. */
    public List<Rule> rules()
    {
        return rules;
    }

    /**
     * @param role a role.
     * @return its grants under this policy.
     */
    public Grants grants(final Role role)
    {
        return grants.get(role);
    }

    /**
     * Whether a connection may stay: some peer line could match its user and group.
     *
     * @param peer the kernel's credentials of the connection.
     * @return true to keep it.
     */
    public boolean admitsAtConnect(final PeerCredentials peer)
    {
        if (peer.inProcess())
        {
            return true;
        }
        if (!peer.isKnown())
        {
            return false;
        }
        for (final Rule r : rules)
        {
            if (r.matchesPeer(peer))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The first peer line matching a registration.
     *
     * @param peer       the connection's credentials.
     * @param agentName  name being registered.
     * @param jwtSubject the verified JWT's subject, or null without a JWT.
     * @return the rule, or null when none matches.
     */
    public Rule match(final PeerCredentials peer, final String agentName, final String jwtSubject)
    {
        for (final Rule r : rules)
        {
            if (r.matches(peer, agentName, jwtSubject))
            {
                return r;
            }
        }
        return null;
    }
}
