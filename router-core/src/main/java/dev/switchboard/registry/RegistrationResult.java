package dev.switchboard.registry;

import dev.switchboard.codecs.sbe.ErrorCode;

import java.util.Objects;

/**
 * Outcome of {@link AgentRegistry#register}: either the new agent's record, or the reason it was refused
 * as a wire {@link ErrorCode} plus a message naming what was wrong, the limit and the value seen. A refusal
 * is an expected outcome, so it is a value here, not an exception.
 *
 * <p>Thread-safety: immutable itself; the {@link AgentRecord} it carries belongs to the registry's duty-cycle
 * thread. Allocation: one instance per registration attempt.
 *
 * @param agent     the registered agent, or {@code null} when refused.
 * @param errorCode why it was refused, or {@code null} on success.
 * @param message   human-readable reason, fit for an {@code Error} frame's text, or {@code null} on success.
 */
public record RegistrationResult(AgentRecord agent, ErrorCode errorCode, String message)
{
    /**
     * Checks that exactly one of {@code agent} and {@code errorCode} is present.
     *
     * @param agent     the registered agent, or {@code null} when refused.
     * @param errorCode why it was refused, or {@code null} on success.
     * @param message   human-readable reason; required when {@code errorCode} is present.
     */
    public RegistrationResult
    {
        if ((null == agent) == (null == errorCode))
        {
            throw new IllegalArgumentException("exactly one of agent and errorCode must be given: agent=" +
                agent + ", errorCode=" + errorCode);
        }
        if (null != errorCode)
        {
            Objects.requireNonNull(message, "message");
        }
        else if (message != null)
        {
            throw new IllegalArgumentException("a successful registration carries no message: " + message);
        }
    }

    /**
     * A successful registration.
     *
     * @param agent the new agent's record.
     * @return the result.
     */
    public static RegistrationResult success(final AgentRecord agent)
    {
        return new RegistrationResult(Objects.requireNonNull(agent, "agent"), null, null);
    }

    /**
     * A refused registration.
     *
     * @param errorCode why, as sent on the wire.
     * @param message   what was wrong, the limit and the value seen.
     * @return the result.
     */
    public static RegistrationResult failure(final ErrorCode errorCode, final String message)
    {
        return new RegistrationResult(null, Objects.requireNonNull(errorCode, "errorCode"), message);
    }

    /**
     * Whether the agent was registered.
     *
     * @return {@code true} if {@link #agent()} is present.
     */
    public boolean isOk()
    {
        return null != agent;
    }

    @Override
    public String toString()
    {
        return isOk() ? "RegistrationResult{ok, " + agent + "}" :
            "RegistrationResult{" + errorCode + ": " + message + "}";
    }
}
