package dev.switchboard.client;

/**
 * Receives messages in {@link SwitchboardClient#poll}.
 *
 * <p>Called on the polling thread; the {@link Message} is valid only during the call.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * @param message the message (a reused flyweight).
     */
    void onMessage(Message message);
}
