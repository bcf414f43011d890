package dev.switchboard.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * Test listener that writes down every event as {@code "+name"} or {@code "-name:REASON"}.
 */
final class RecordingListener implements RegistryListener
{
    final List<String> events = new ArrayList<>();

    @Override
    public void onRegistered(final AgentRecord agent)
    {
        events.add("+" + agent.name());
    }

    @Override
    public void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
    {
        events.add("-" + agent.name() + ":" + reason);
    }
}
