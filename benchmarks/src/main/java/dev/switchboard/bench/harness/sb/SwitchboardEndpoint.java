/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.sb;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.Inbound;
import dev.switchboard.bench.harness.Payload;
import dev.switchboard.client.Destination;
import dev.switchboard.client.Message;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * A {@link BenchEndpoint} over Switchboard's public client API, in one of two patterns:
 * <ul>
 *   <li>{@link #sending}: {@link SwitchboardClient#send(Destination, DirectBuffer, int, int)} to the peer through a
 *       {@link Destination} resolved once ({@link SwitchboardClient#destination(long, Priority)}: a blocking control call,
 *       made when the endpoint opens, or by the responder right after the poll that brought its peer's first message,
 *       the harness's opening exchange: never inside a measured step);</li>
 *   <li>{@link #publishing}: {@link SwitchboardClient#publish(long, Priority, DirectBuffer, int, int)} to a topic
 *       (through the router to its subscribers).</li>
 * </ul>
 * {@link SwitchboardClient#poll} receives; {@link #idle} is the client's own idle strategy
 * ({@link SwitchboardClient#idleStrategy()}), so the sides wait as an application would. Also records which tiers
 * messages arrived on ({@link Message#tier()}), so a fallback shows in the report.
 *
 * <p>Allocation: none per message (one off-heap send buffer, this object is the handler).
 */
final class SwitchboardEndpoint implements BenchEndpoint, MessageHandler
{
    private final SwitchboardClient client;
    private final Priority priority;
    private final SegmentBuffer sendBuffer;
    private final AutoCloseable onClose;
    private final IdleStrategy idleStrategy;
    private final String idleSettings;
    private final long topicId;
    private final Set<Tier> tiersSeen = EnumSet.noneOf(Tier.class);
    private final List<String> extraSettings = new ArrayList<>();
    private long peerId;
    private Destination destination;
    private Inbound inbound;
    private int delivered;

    private SwitchboardEndpoint(
        final SwitchboardClient client, final String idleSettings, final Priority priority, final long peerId,
        final long topicId, final int maxPayloadLength, final AutoCloseable onClose)
    {
        this.client = client;
        this.idleSettings = idleSettings;
        this.priority = priority;
        this.peerId = peerId;
        this.topicId = topicId;
        this.onClose = onClose;
        this.idleStrategy = client.idleStrategy();
        if (topicId == 0 && peerId != 0)
        {
            destination = client.destination(peerId, priority);
        }
        this.sendBuffer = SegmentBuffer.allocate(Arena.ofAuto(), Math.max(maxPayloadLength, Payload.MIN_LENGTH));
    }

    /**
     * @param client           a registered client.
     * @param idleSettings     how its context chose its idle strategy, for the report.
     * @param priority         the priority every message goes on.
     * @param peerId           the agent to send to (its destination is resolved now), or 0 to answer the first agent
     *                         heard from.
     * @param maxPayloadLength the largest message.
     * @param onClose          closed after the client, or null.
     * @return an endpoint that sends point to point.
     */
    static SwitchboardEndpoint sending(
        final SwitchboardClient client, final String idleSettings, final Priority priority, final long peerId,
        final int maxPayloadLength, final AutoCloseable onClose)
    {
        return new SwitchboardEndpoint(client, idleSettings, priority, peerId, 0, maxPayloadLength, onClose);
    }

    /**
     * @param client           a registered client (subscribed to what it should receive).
     * @param idleSettings     how its context chose its idle strategy, for the report.
     * @param priority         the priority every message goes on.
     * @param topicId          the topic every message is published to.
     * @param maxPayloadLength the largest message.
     * @return an endpoint that publishes.
     */
    static SwitchboardEndpoint publishing(
        final SwitchboardClient client, final String idleSettings, final Priority priority, final long topicId,
        final int maxPayloadLength)
    {
        return new SwitchboardEndpoint(client, idleSettings, priority, 0, topicId, maxPayloadLength, null);
    }

    /**
     * @param settings more settings this side states (an in-process router's), before opening.
     * @return this.
     */
    SwitchboardEndpoint withSettings(final List<String> settings)
    {
        extraSettings.addAll(settings);
        return this;
    }

    @Override
    public boolean offer(final long stamp, final long seq, final int kind, final int length)
    {
        if (topicId == 0 && null == destination)
        {
            if (peerId == 0)
            {
                return false;
            }
            // Only if an echo comes before the poll that learned the peer returned: resolve now (blocking, once).
            destination = client.destination(peerId, priority);
        }
        sendBuffer.putLong(Payload.STAMP_OFFSET, stamp);
        sendBuffer.putLong(Payload.SEQ_OFFSET, seq);
        sendBuffer.putInt(Payload.KIND_OFFSET, kind);
        final int status = topicId != 0 ?
            client.publish(topicId, priority, sendBuffer, 0, length) :
            client.send(destination, sendBuffer, 0, length);
        if (status == OfferStatus.OK)
        {
            return true;
        }
        if (status == OfferStatus.BACK_PRESSURED)
        {
            return false;
        }
        throw new IllegalStateException((topicId != 0 ? "publish" : "send") + " on " + priority + " to " +
            (topicId != 0 ? "topic " + topicId : "agent " + peerId) + " returned " + OfferStatus.name(status));
    }

    @Override
    public int poll(final Inbound handler)
    {
        inbound = handler;
        delivered = 0;
        client.poll(this);
        if (null == destination && topicId == 0 && peerId != 0)
        {
            // The responder just heard from its peer (the opening exchange): resolve the way back once.
            destination = client.destination(peerId, priority);
        }
        return delivered;
    }

    @Override
    public void idle(final int workCount)
    {
        idleStrategy.idle(workCount);
    }

    @Override
    public void onMessage(final Message message)
    {
        if (peerId == 0)
        {
            peerId = message.sourceAgentId();
        }
        if (!tiersSeen.contains(message.tier()))
        {
            tiersSeen.add(message.tier());
        }
        final DirectBuffer b = message.buffer();
        final int at = message.payloadOffset();
        delivered++;
        inbound.onMessage(b.getLong(at + Payload.STAMP_OFFSET), b.getLong(at + Payload.SEQ_OFFSET),
            b.getInt(at + Payload.KIND_OFFSET));
    }

    @Override
    public List<String> notes()
    {
        return List.of(client.name() + (topicId != 0 ? " published" : " sent") + " on " + priority + " (tier " +
            client.tierFor(priority) + (null == destination ? "" : destination.isDirect() ?
            ", destination direct" : ", destination routed through the router") + ") and received on tier " +
            tiersSeen);
    }

    @Override
    public List<String> settings()
    {
        final List<String> settings = new ArrayList<>();
        settings.add("client idle strategy: " + idleSettings + "; " + idleStrategy.getClass().getSimpleName());
        settings.add("client fragment limit: " + BenchEndpoint.POLL_LIMIT);
        settings.add("pattern: " + (topicId != 0 ? "publish to a topic with one subscriber" :
            "send to one agent by id") + " on " + priority);
        settings.addAll(extraSettings);
        explicitProperties().stream().filter(p -> !settings.contains(p)).forEach(settings::add);
        return settings;
    }

    /**
     * @return every {@code switchboard.*} system property set in this JVM, "property = value", sorted: settings
     * given explicitly (the rest are the documented defaults).
     */
    static List<String> explicitProperties()
    {
        final TreeMap<String, String> props = new TreeMap<>();
        System.getProperties().forEach((k, v) ->
        {
            final String key = k.toString();
            if (key.startsWith("switchboard.") && !key.startsWith("switchboard.bench.") &&
                !key.equals("switchboard.home"))
            {
                props.put(key, v.toString());
            }
        });
        final List<String> out = new ArrayList<>();
        props.forEach((k, v) -> out.add("property " + k + " = " + v));
        return out;
    }

    @Override
    public void close()
    {
        try
        {
            client.close();
        }
        catch (final RuntimeException ignored)
        {
            // closing a benchmark endpoint must not hide the result
        }
        if (onClose != null)
        {
            try
            {
                onClose.close();
            }
            catch (final Exception ignored)
            {
                // as above
            }
        }
    }
}
