/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.router.access;

import java.util.Locale;

/**
 * The four roles of the access policy, from least to most trusted. What each may do by default is in
 * {@link Grants#defaults(Role)}; a policy file can narrow or widen any role.
 *
 * <p>Thread-safety: immutable. Allocation: none.
 */
public enum Role
{
    /** Looks up agents, subscribes to topics, watches the registry; sends nothing. */
    OBSERVER,
    /** Registers its own names, sends and publishes, joins groups, consumes work; no CRITICAL broadcast. */
    AGENT,
    /** An agent that may also broadcast at any priority (CRITICAL included) and enqueue work. */
    COORDINATOR,
    /** Everything. */
    ADMIN;

    /**
     * @param text a role name, any case.
     * @return the role.
     * @throws IllegalArgumentException naming the four roles when {@code text} is none of them.
     */
    public static Role parse(final String text)
    {
        for (final Role r : values())
        {
            if (r.name().equalsIgnoreCase(text.trim()))
            {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "'; roles are observer, agent, coordinator, admin");
    }

    /** @return the role's name as written in a policy file. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
