package dev.switchboard.client;

/**
 * Completes a {@link SwitchboardClient#request}: exactly one of the two methods is called per request,
 * on the polling thread. A response that arrives after the timeout was reported is counted and dropped,
 * never delivered to another caller.
 */
public interface ResponseHandler
{
    /**
     * @param correlationId id returned by {@code request}.
     * @param response      the response (valid during the call only).
     */
    void onResponse(long correlationId, Message response);

    /**
     * @param correlationId id returned by {@code request}; no response came in time.
     */
    void onTimeout(long correlationId);
}
