/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.router.access;

import java.util.Locale;
import java.util.Map;

/**
 * What a role may do, as the router enforces it. Keys (as written in a policy file):
 *
 * <table>
 *   <caption>Grant keys</caption>
 *   <tr><th>key</th><th>value</th><th>checked when</th></tr>
 *   <tr><td>register</td><td>globs</td><td>Register: the agent's name</td></tr>
 *   <tr><td>subscribe</td><td>globs</td><td>Subscribe to a topic; watch the registry (name {@code registry})</td></tr>
 *   <tr><td>publish</td><td>globs</td><td>every PUBLISH frame the router routes: the topic's name</td></tr>
 *   <tr><td>join</td><td>globs</td><td>JoinGroup: the group's name</td></tr>
 *   <tr><td>consume</td><td>globs</td><td>Subscribe as a work-queue consumer: the queue's name</td></tr>
 *   <tr><td>send</td><td>priorities</td><td>every frame the router routes (send, request, response, publish,
 *       multicast, work); and whether a lookup hands out a CRITICAL inbox (CRITICAL must be granted)</td></tr>
 *   <tr><td>critical-to</td><td>globs</td><td>CRITICAL frames and CRITICAL inbox grants: the receiver's name</td></tr>
 *   <tr><td>broadcast</td><td>priorities</td><td>every BROADCAST frame</td></tr>
 *   <tr><td>enqueue</td><td>yes / no</td><td>every WORK frame (putting an item on a queue)</td></tr>
 * </table>
 * Globs: comma-separated, {@code *} for any, {@code none} for nothing. Priorities: comma-separated names
 * ({@code CRITICAL,HIGH,NORMAL,LOW,BATCH}), {@code *} for all, {@code none}.
 *
 * <p>Thread-safety: immutable. Allocation: none in the {@code may*} checks.
 */
public final class Grants
{
    /** Every priority, as a bit set indexed by the SBE {@code Priority} value. */
    public static final int ALL_PRIORITIES = 0b11111;
    /** The CRITICAL bit. */
    public static final int CRITICAL = 1;
    /** The SBE value of priority CRITICAL. */
    public static final int CRITICAL_PRIORITY = 0;

    /** Everything allowed: the admin role's defaults and the grants of trusted in-process connections. */
    public static final Grants ALL = new Grants(Role.ADMIN, Glob.ANY, Glob.ANY, Glob.ANY, Glob.ANY, Glob.ANY,
        ALL_PRIORITIES, Glob.ANY, ALL_PRIORITIES, true);

    private final Role role;
    private final Glob register;
    private final Glob subscribe;
    private final Glob publish;
    private final Glob join;
    private final Glob consume;
    private final int send;
    private final Glob criticalTo;
    private final int broadcast;
    private final boolean enqueue;
    private final boolean unrestrictedData;

    private Grants(
        final Role role,
        final Glob register,
        final Glob subscribe,
        final Glob publish,
        final Glob join,
        final Glob consume,
        final int send,
        final Glob criticalTo,
        final int broadcast,
        final boolean enqueue)
    {
        this.role = role;
        this.register = register;
        this.subscribe = subscribe;
        this.publish = publish;
        this.join = join;
        this.consume = consume;
        this.send = send;
        this.criticalTo = criticalTo;
        this.broadcast = broadcast;
        this.enqueue = enqueue;
        this.unrestrictedData = publish.isAny() && send == ALL_PRIORITIES && criticalTo.isAny() &&
            broadcast == ALL_PRIORITIES && enqueue;
    }

    /**
     * The built-in grants of a role.
     *
     * @param role the role.
     * @return observer: subscribe and look up only, no sending; agent: register, subscribe, publish, join,
     * consume, send at every priority, broadcast at every priority but CRITICAL, no enqueue; coordinator: agent
     * plus broadcast at every priority and enqueue; admin: everything.
     */
    public static Grants defaults(final Role role)
    {
        return switch (role)
        {
            case OBSERVER -> new Grants(role, Glob.ANY, Glob.ANY, Glob.NONE, Glob.NONE, Glob.NONE, 0, Glob.NONE, 0,
                false);
            case AGENT -> new Grants(role, Glob.ANY, Glob.ANY, Glob.ANY, Glob.ANY, Glob.ANY, ALL_PRIORITIES, Glob.ANY,
                ALL_PRIORITIES & ~CRITICAL, false);
            case COORDINATOR -> new Grants(role, Glob.ANY, Glob.ANY, Glob.ANY, Glob.ANY, Glob.ANY, ALL_PRIORITIES,
                Glob.ANY, ALL_PRIORITIES, true);
            case ADMIN -> new Grants(role, Glob.ANY, Glob.ANY, Glob.ANY, Glob.ANY, Glob.ANY, ALL_PRIORITIES,
                Glob.ANY, ALL_PRIORITIES, true);
        };
    }

    /**
     * These grants with some keys replaced.
     *
     * @param overrides key to value, keys as in the class comment.
     * @return new grants.
     * @throws IllegalArgumentException naming an unknown key or a bad value.
     */
    public Grants with(final Map<String, String> overrides)
    {
        Glob r = register;
        Glob s = subscribe;
        Glob p = publish;
        Glob j = join;
        Glob c = consume;
        int snd = send;
        Glob ct = criticalTo;
        int b = broadcast;
        boolean e = enqueue;
        for (final Map.Entry<String, String> o : overrides.entrySet())
        {
            final String v = o.getValue();
            switch (o.getKey())
            {
                case "register" -> r = Glob.of(v);
                case "subscribe" -> s = Glob.of(v);
                case "publish" -> p = Glob.of(v);
                case "join" -> j = Glob.of(v);
                case "consume" -> c = Glob.of(v);
                case "send" -> snd = priorities(v);
                case "critical-to" -> ct = Glob.of(v);
                case "broadcast" -> b = priorities(v);
                case "enqueue" -> e = yesNo(v);
                default -> throw new IllegalArgumentException("unknown grant '" + o.getKey() +
                    "'; grants are register, subscribe, publish, join, consume, send, critical-to, broadcast, enqueue");
            }
        }
        return new Grants(role, r, s, p, j, c, snd, ct, b, e);
    }

    /**
     * @param text comma-separated priority names, {@code *} or {@code none}.
     * @return bit set indexed by SBE {@code Priority} value.
     */
    static int priorities(final String text)
    {
        final String t = text.trim();
        if ("*".equals(t) || "all".equalsIgnoreCase(t))
        {
            return ALL_PRIORITIES;
        }
        if (t.isEmpty() || "none".equalsIgnoreCase(t))
        {
            return 0;
        }
        int mask = 0;
        for (final String part : t.split(","))
        {
            mask |= switch (part.trim().toUpperCase(Locale.ROOT))
            {
                case "CRITICAL" -> 1;
                case "HIGH" -> 1 << 1;
                case "NORMAL" -> 1 << 2;
                case "LOW" -> 1 << 3;
                case "BATCH" -> 1 << 4;
                default -> throw new IllegalArgumentException("unknown priority '" + part.trim() +
                    "'; priorities are CRITICAL, HIGH, NORMAL, LOW, BATCH, * or none");
            };
        }
        return mask;
    }

    private static boolean yesNo(final String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new IllegalArgumentException("expected yes or no, not '" + text + "'");
        };
    }

    /** @return the role these grants belong to. */
    public Role role()
    {
        return role;
    }

    /** @return true when no data frame needs a check (publish any, send and broadcast any priority, enqueue). */
    public boolean unrestrictedData()
    {
        return unrestrictedData;
    }

    /** @param name agent name. @return whether it may be registered. */
    public boolean mayRegister(final CharSequence name)
    {
        return register.matches(name);
    }

    /** @param topic topic name. @return whether it may be subscribed to. */
    public boolean maySubscribe(final CharSequence topic)
    {
        return subscribe.matches(topic);
    }

    /** @param topic topic name. @return whether it may be published to. */
    public boolean mayPublish(final CharSequence topic)
    {
        return publish.matches(topic);
    }

    /** @param group group name. @return whether it may be joined. */
    public boolean mayJoin(final CharSequence group)
    {
        return join.matches(group);
    }

    /** @param queue queue name. @return whether it may be consumed. */
    public boolean mayConsume(final CharSequence queue)
    {
        return consume.matches(queue);
    }

    /** @param priority SBE priority value. @return whether frames may be sent at it. */
    public boolean maySend(final int priority)
    {
        return priority >= 0 && priority < 5 && (send & (1 << priority)) != 0;
    }

    /** @param receiver name of the receiving agent. @return whether CRITICAL may go to it (inbox grant). */
    public boolean maySendCriticalTo(final CharSequence receiver)
    {
        return (send & CRITICAL) != 0 && criticalTo.matches(receiver);
    }

    /** @param priority SBE priority value. @return whether broadcast is allowed at it. */
    public boolean mayBroadcast(final int priority)
    {
        return priority >= 0 && priority < 5 && (broadcast & (1 << priority)) != 0;
    }

    /** @return whether work items may be enqueued. */
    public boolean mayEnqueue()
    {
        return enqueue;
    }

    @Override
    public String toString()
    {
        return role.label() + "[register=" + register + ", subscribe=" + subscribe + ", publish=" + publish +
            ", join=" + join + ", consume=" + consume + ", send=0b" + Integer.toBinaryString(send) +
            ", critical-to=" + criticalTo + ", broadcast=0b" + Integer.toBinaryString(broadcast) +
            ", enqueue=" + enqueue + "]";
    }
}
