package dev.switchboard.router.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.sbe.BridgedFrameDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.PeerAgentDecoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatDecoder;
import dev.switchboard.codecs.sbe.PeerMembershipDecoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.DeregistrationReason;
import dev.switchboard.registry.RegistrationResult;
import dev.switchboard.registry.RegistryListener;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.security.FrameMac;
import dev.switchboard.security.SecretFile;
import dev.switchboard.transport.OfferStatus;
import io.aeron.Aeron;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bridge of one router to its peers on other hosts, over Aeron UDP: it subscribes on this router's endpoint
 * ({@code switchboard.cluster.endpoint}), publishes to each peer's ({@code switchboard.cluster.peers}, and any router
 * that proves the secret by heartbeating here), authenticates peers ({@link PeerLink}), replicates this router's agents
 * to them and theirs here (each remote agent registered on a {@link RemoteAgentSession} proxy: lookups, watchers and
 * name uniqueness see it, routing delivers to it; its topic subscriptions and group memberships are replicated too,
 * so that publish and multicast here reach it through its proxy), and hands Envelopes that come over the bridge to their local
 * receiver ({@link Router#deliverBridged}).
 *
 * <p><b>Threads.</b> {@link #doWork()} runs on the router's duty cycle (the router process calls it each cycle): the
 * subscription is polled there and every publication offered there, so router state is touched by that one thread.
 * By default the embedded media driver ({@code ThreadingMode.INVOKER}) and the Aeron client's conductor run there too,
 * invoked at the start of each {@link #doWork()} ({@link BridgeAeron}); with
 * {@code switchboard.cluster.driver.threading=shared} they run on threads of their own beside it and touch only
 * Aeron's own state.
 *
 * <p><b>Ordering.</b> One Aeron stream per ordered pair of routers carries, in order, the sender's registry changes
 * and every frame its routing delivered to the peer's agents: a sender's frames keep their order across the bridge,
 * and an agent's registration reaches a peer before any frame it sends there.
 *
 * <p><b>Back-pressure.</b> A full publication answers {@code BACK_PRESSURED} to the router, which holds the frame (the
 * sender sees {@code BACK_PRESSURED}); on the receiving side a full local receiver aborts the poll at that fragment,
 * so the stream stops and Aeron's flow control reaches back to the sender. Nothing is dropped.
 *
 * <p><b>Liveness.</b> A peer silent for {@code switchboard.cluster.peer.timeout.ms} (default: one lease) is down: its
 * agents are removed here (as expired: watchers see EXPIRED) and this end starts a new incarnation of the link; they
 * come back with the peer's next authenticated heartbeat and snapshot.
 *
 * <p>Allocation: forwarding and delivering frames allocate nothing; heartbeats, the handshake and replication are the
 * control plane and allocate.
 */
public final class ClusterBridge implements AutoCloseable
{
    /** Aeron term length of each bridge publication: its largest message is an eighth of it (512 KiB). */
    public static final int TERM_LENGTH = 4 * 1024 * 1024;
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int FRAGMENT_LIMIT = 64;
    private static final System.Logger LOG = System.getLogger(ClusterBridge.class.getName());

    private final Router router;
    private final RouterContext ctx;
    private final CounterBlock counters;
    private final NanoClock clock;
    private final SecretFile secret;
    /** The driver and client; replaced when the client closed ({@link #restartAeron}). */
    private BridgeAeron bridgeAeron;
    private Aeron aeron;
    private Subscription subscription;
    private final String aeronDir;
    private final ControlledFragmentAssembler assembler;
    private final List<PeerLink> links = new ArrayList<>();
    /** Proxies of every peer's agents, by their id on this router. */
    private final Long2ObjectHashMap<RemoteAgentSession> proxiesByLocalId = new Long2ObjectHashMap<>();
    private final long heartbeatNs;
    private final long peerTimeoutNs;
    private final long proxyLeaseNs;
    private final ByteBuffer receiveByteBuffer;
    private final UnsafeBuffer receiveBuffer;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PeerHeartbeatDecoder heartbeatDecoder = new PeerHeartbeatDecoder();
    private final PeerAgentDecoder agentDecoder = new PeerAgentDecoder();
    private final BridgedFrameDecoder frameDecoder = new BridgedFrameDecoder();
    /** Peers' agents refused here because their name was taken: tried again when an agent leaves. */
    private final List<PendingAgent> pendingAgents = new ArrayList<>();
    private boolean retryPending;
    private final PeerMembershipDecoder membershipDecoder = new PeerMembershipDecoder();
    private final WorkBridge workBridge;
    private long nextHeartbeatNs;
    /** When {@link #doWork} last ran: a longer gap is this router's own stall, not its peers' silence. */
    private long lastDutyNs;
    /** A gap between duty slices longer than this is a stall of this router (peer timeout / 4). */
    private final long stallGraceNs;
    /** The clock at the start of this slice's poll: every authenticated message polled was heard then. */
    private long pollNs;
    /** This slice's poll left messages behind (fragment limit, or a full receiver aborted it): judge nobody silent. */
    private boolean backlogged;
    private boolean registeringBridged;
    private long lastRefusalLogNs = Long.MIN_VALUE;
    /** LOW across hosts (store and forward), or null when this router cannot open LOW queues. */
    private LowBridge lowBridge;

    private ClusterBridge(final Router router, final Path runtimeDir)
    {
        this.router = router;
        this.ctx = router.context();
        this.counters = router.counters().block();
        this.clock = ctx.nanoClock();
        this.secret = SecretFile.load(Path.of(ctx.clusterSecretFile()));
        this.heartbeatNs = TimeUnit.MILLISECONDS.toNanos(ctx.clusterHeartbeatMs());
        this.peerTimeoutNs = TimeUnit.MILLISECONDS.toNanos(ctx.clusterPeerTimeoutMs());
        this.proxyLeaseNs = Math.min(ctx.maxLeaseNs(), 2 * peerTimeoutNs);
        this.stallGraceNs = peerTimeoutNs / 4;
        this.aeronDir = ctx.clusterAeronDir().isBlank() ?
            runtimeDir.resolve("aeron").toString() : ctx.clusterAeronDir();
        BridgeAeron started = null;
        try
        {
            started = BridgeAeron.start(ctx, aeronDir, ClusterBridge::onAeronError);
            this.subscription = started.client().addSubscription(channel(ctx.clusterEndpoint()),
                ctx.clusterStreamId());
        }
        catch (final RuntimeException e)
        {
            CloseHelper.quietClose(started);
            throw new IllegalStateException("the cluster bridge cannot start on " + ctx.clusterEndpoint() +
                " (aeron dir " + aeronDir + (ctx.clusterExternalDriver() ? ", external driver" : "") + "): " +
                e.getMessage(), e);
        }
        this.bridgeAeron = started;
        this.aeron = started.client();
        this.assembler = new ControlledFragmentAssembler(this::onFragment);
        this.receiveByteBuffer = ByteBuffer.allocateDirect(TERM_LENGTH / 8);
        this.receiveBuffer = new UnsafeBuffer(receiveByteBuffer);
        for (final String peer : ctx.clusterPeerList())
        {
            addLink(peer);
        }
        final Replicator replicator = new Replicator();
        router.addRegistryListener(replicator);
        router.membershipListener(replicator);
        this.workBridge = new WorkBridge(router, counters, links, proxiesByLocalId);
        router.addRegistryListener(workBridge);
        router.queueConsumerListener(workBridge);
        router.workAckForwarder(workBridge);
        this.nextHeartbeatNs = clock.nanoTime();
        this.lastDutyNs = nextHeartbeatNs;
        LOG.log(System.Logger.Level.INFO, "cluster bridge on " + ctx.clusterEndpoint() + " (stream " +
            ctx.clusterStreamId() + ", aeron dir " + aeronDir + ", " + bridgeAeron + "), peers " +
            ctx.clusterPeerList());
    }

    /**
     * Start the bridge of a router whose context names a cluster endpoint. Call before the router's duty cycle starts
     * (it adds a registry listener).
     *
     * @param router     the router, not yet running.
     * @param runtimeDir the router's runtime dir (the default Aeron dir is {@code aeron} under it).
     * @return the bridge; the router process polls it from its duty cycle.
     */
    public static ClusterBridge start(final Router router, final Path runtimeDir)
    {
        return new ClusterBridge(router, runtimeDir);
    }

    /**
     * Start the bridge with LOW across hosts ({@link LowBridge}): peers' agents keep the LOW tier in lookups here, and
     * the queues of their names on this host are forwarded to them. Without Chronicle in this JVM
     * ({@code DurableQueues.unavailableReason()}), as {@link #start(Router, Path)}: LOW to them stays refused.
     *
     * @param router     the router, not yet running.
     * @param runtimeDir the router's runtime dir.
     * @param lowQueues  the LOW queues of this host (the same data dir as its agents').
     * @return the bridge.
     */
    public static ClusterBridge start(final Router router, final Path runtimeDir,
        final dev.switchboard.ipc.durable.DurableQueues lowQueues)
    {
        final ClusterBridge bridge = new ClusterBridge(router, runtimeDir);
        final String reason = dev.switchboard.ipc.durable.DurableQueues.unavailableReason();
        if (reason == null)
        {
            bridge.lowBridge = new LowBridge(router, lowQueues, bridge.counters);
            router.addRegistryListener(bridge.lowBridge);
        }
        else
        {
            LOG.log(System.Logger.Level.WARNING, "cluster bridge without LOW across hosts: " + reason);
        }
        return bridge;
    }

    private static String channel(final String endpoint)
    {
        return "aeron:udp?endpoint=" + endpoint + "|term-length=" + TERM_LENGTH;
    }

    private static void onAeronError(final Throwable error)
    {
        LOG.log(System.Logger.Level.WARNING, "aeron (cluster bridge): " + error);
    }

    private PeerLink addLink(final String endpoint)
    {
        final PeerLink link = new PeerLink(endpoint, ctx.clusterEndpoint(), ctx.clusterHost(), secret,
            aeron.addExclusivePublication(channel(endpoint), ctx.clusterStreamId()), counters);
        links.add(link);
        return link;
    }

    /**
     * One slice of the duty cycle: what the peers sent, then, every heartbeat interval, the heartbeats, the peers'
     * liveness, and the snapshots still owed. Router thread only.
     *
     * <p><b>Liveness</b> is judged on everything a peer sends, not on its heartbeats alone: every message that passes
     * its link MAC (or that a full receiver here holds back) counts as heard, so a heartbeat queued behind a busy
     * stream, or one that a full publication made the peer skip, does not make a live peer look silent. Nobody is
     * judged silent while this slice's poll left messages behind, nor for the time this router itself did not run (a
     * gap between slices over a quarter of the peer timeout: a GC pause, a starved CPU).
     *
     * @return work done.
     */
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        final long gapNs = nowNs - lastDutyNs;
        lastDutyNs = nowNs;
        if (gapNs > stallGraceNs)
        {
            excuseStall(gapNs);
        }
        final int aeronWork = bridgeAeron.invoke(); // the driver and client, when the duty cycle runs them (BridgeAeron)
        pollNs = nowNs;
        backlogged = false;
        final int fragments = subscription.controlledPoll(assembler, FRAGMENT_LIMIT);
        backlogged |= fragments >= FRAGMENT_LIMIT;
        int work = aeronWork + fragments + workBridge.doWork();
        if (lowBridge != null)
        {
            work += lowBridge.doWork(nowNs);
        }
        if (nowNs - nextHeartbeatNs >= 0)
        {
            nextHeartbeatNs = nowNs + heartbeatNs;
            if (aeron.isClosed())
            {
                return work + restartAeron();
            }
            if (retryPending)
            {
                retryPendingAgents();
            }
            for (int i = 0, n = links.size(); i < n; i++)
            {
                work += onTick(links.get(i), nowNs);
            }
        }
        return work;
    }

    /**
     * The bridge's Aeron client closed: Aeron closes it when it was not serviced for the driver's client liveness
     * timeout ({@code switchboard.cluster.aeron.timeout.ms}: the router stalled that long, a GC pause, a stopped
     * process) or on a fatal error. Without a new one the router would stay cut off from its peers for good: every peer
     * goes down here (its agents are removed, as for a link reset), the old driver and client are closed, a new driver
     * (embedded) and client start in the same directory, with a new subscription and a new publication per peer, and
     * the peers come up again with the next heartbeats. A start that fails is tried again at the next heartbeat tick.
     * Router thread only; allocates (control plane).
     *
     * @return work done.
     */
    private int restartAeron()
    {
        counters.increment(CounterIds.of(RouterCounter.CLUSTER_AERON_RESTARTS));
        LOG.log(System.Logger.Level.WARNING, "cluster bridge: its Aeron client closed (unserviced for over " +
            RouterContext.CLUSTER_AERON_TIMEOUT_MS_PROP + " = " + ctx.clusterAeronTimeoutMs() + " ms, or a fatal " +
            "Aeron error): taking its " + links.size() + " peer link(s) down and starting a new Aeron " +
            (ctx.clusterExternalDriver() ? "client" : "driver and client") + " in " + aeronDir);
        for (int i = 0, n = links.size(); i < n; i++)
        {
            final PeerLink link = links.get(i);
            takeDown(link);
            link.newIncarnation();
        }
        CloseHelper.quietCloseAll(subscription, bridgeAeron);
        final BridgeAeron started;
        try
        {
            started = BridgeAeron.start(ctx, aeronDir, ClusterBridge::onAeronError);
        }
        catch (final RuntimeException e)
        {
            LOG.log(System.Logger.Level.WARNING, "cluster bridge: a new Aeron could not start (" + e +
                "); trying again at the next heartbeat");
            return 1;
        }
        bridgeAeron = started;
        aeron = started.client();
        subscription = aeron.addSubscription(channel(ctx.clusterEndpoint()), ctx.clusterStreamId());
        for (int i = 0, n = links.size(); i < n; i++)
        {
            final PeerLink link = links.get(i);
            link.publication(aeron.addExclusivePublication(channel(link.endpoint()), ctx.clusterStreamId()));
        }
        LOG.log(System.Logger.Level.INFO, "cluster bridge: a new Aeron runs (" + bridgeAeron + ")");
        return 1;
    }

    /** This router did not run for {@code gapNs}: its peers are not blamed for the messages it did not read. */
    private void excuseStall(final long gapNs)
    {
        counters.increment(CounterIds.of(RouterCounter.CLUSTER_STALLS_EXCUSED));
        for (int i = 0, n = links.size(); i < n; i++)
        {
            links.get(i).excuse(gapNs);
        }
    }

    private int onTick(final PeerLink link, final long nowNs)
    {
        final long silentNs = nowNs - link.lastHeardNs();
        // A backlog means messages are waiting to be read, heard or not yet: judge at a later tick, up to twice the
        // timeout (a peer that sends nothing at all behind another peer's backlog is still found out).
        if (link.resetPending() ||
            (link.isUp() && silentNs > peerTimeoutNs && (!backlogged || silentNs > 2 * peerTimeoutNs)))
        {
            LOG.log(System.Logger.Level.WARNING, "cluster peer " + link.endpoint() + " is down (" +
                (link.resetPending() ? "link reset" : "silent for " +
                TimeUnit.NANOSECONDS.toMillis(silentNs) + " ms") + "): removing its " +
                link.proxies().size() + " agent(s)");
            takeDown(link);
            link.newIncarnation();
        }
        link.sendHeartbeat();
        if (link.isUp() && link.resyncPending())
        {
            sendSnapshot(link);
        }
        return 1;
    }

    private void takeDown(final PeerLink link)
    {
        if (link.isUp())
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_PEERS_DOWN));
        }
        link.up(false);
        pendingAgents.removeIf(p -> p.link == link);
        workBridge.onLinkDown(link);
        final List<RemoteAgentSession> gone = new ArrayList<>(link.proxies().values());
        link.proxies().clear();
        for (final RemoteAgentSession proxy : gone)
        {
            removeProxy(proxy, true);
        }
    }

    private void removeProxy(final RemoteAgentSession proxy, final boolean expired)
    {
        final long localId = proxy.localAgentId();
        if (lowBridge != null)
        {
            lowBridge.onRemoteAgentGone(localId);
        }
        if (localId != 0)
        {
            router.deregisterBridged(localId, expired); // still a proxy while the listeners run: not replicated back
        }
        proxiesByLocalId.remove(localId);
        proxy.close();
    }

    /** Every local agent to the peer, between snapshot bounds (the peer drops its proxies the snapshot lacks). */
    private void sendSnapshot(final PeerLink link)
    {
        link.sendHeartbeat(); // the peer authenticates this end before the snapshot (same stream, in order)
        if (!link.sendAgent(null, PeerLink.SNAPSHOT_BEGIN))
        {
            return;
        }
        final boolean[] complete = {true};
        router.forEachAgent(agent ->
        {
            if (complete[0] && !proxiesByLocalId.containsKey(agent.agentId()))
            {
                complete[0] = link.sendAgent(agent, 1);
            }
        });
        router.forEachMembership((agentId, topic, name, joined) ->
        {
            if (complete[0] && !proxiesByLocalId.containsKey(agentId))
            {
                complete[0] = link.sendMembership(agentId, topic, name, true);
            }
        });
        complete[0] = complete[0] && workBridge.sendConsumers(link);
        if (complete[0] && link.sendAgent(null, PeerLink.SNAPSHOT_END))
        {
            link.resyncPending(false);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // in

    private ControlledFragmentHandler.Action onFragment(
        final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < HEADER)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        if (templateId == PeerHeartbeatDecoder.TEMPLATE_ID)
        {
            onHeartbeat(buffer, offset, length, header.sessionId());
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        final PeerLink link = linkOfImage(header.sessionId());
        if (link == null || !link.isUp() || link.mac() == null || length < HEADER + FrameMac.TAG_LENGTH ||
            length > receiveBuffer.capacity())
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        final int messageLength = length - FrameMac.TAG_LENGTH;
        receiveBuffer.putBytes(0, buffer, offset, length);
        if (!link.mac().verify(receiveByteBuffer, 0, messageLength))
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_MAC_FAILURES));
            LOG.log(System.Logger.Level.WARNING, "cluster peer " + link.endpoint() +
                ": a message failed its link MAC; resetting the link");
            takeDown(link);
            link.newIncarnation();
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        link.heard(pollNs);
        headerDecoder.wrap(receiveBuffer, 0);
        if (templateId == PeerAgentDecoder.TEMPLATE_ID)
        {
            link.mac().received();
            onPeerAgent(link);
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        if (templateId == PeerMembershipDecoder.TEMPLATE_ID)
        {
            link.mac().received();
            onPeerMembership(link);
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        if (lowBridge != null && templateId == dev.switchboard.codecs.sbe.LowShipDecoder.TEMPLATE_ID)
        {
            link.mac().received();
            lowBridge.onShip(link, receiveBuffer, messageLength);
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        if (lowBridge != null && templateId == dev.switchboard.codecs.sbe.LowConfirmDecoder.TEMPLATE_ID)
        {
            link.mac().received();
            lowBridge.onConfirm(link, receiveBuffer, messageLength);
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        if (templateId == BridgedFrameDecoder.TEMPLATE_ID)
        {
            final ControlledFragmentHandler.Action action = onBridgedFrame(link, messageLength);
            if (action == ControlledFragmentHandler.Action.CONTINUE)
            {
                link.mac().received();
            }
            return action;
        }
        link.mac().received();
        if (!workBridge.onMessage(link, templateId, receiveBuffer))
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
        }
        return ControlledFragmentHandler.Action.CONTINUE;
    }

    private PeerLink linkOfImage(final int sessionId)
    {
        for (int i = 0, n = links.size(); i < n; i++)
        {
            final PeerLink link = links.get(i);
            if (link.isImage(sessionId))
            {
                return link;
            }
        }
        return null;
    }

    private PeerLink linkOf(final String endpoint)
    {
        for (final PeerLink link : links)
        {
            if (link.endpoint().equals(endpoint))
            {
                return link;
            }
        }
        return null;
    }

    private void onHeartbeat(final DirectBuffer buffer, final int offset, final int length, final int imageSession)
    {
        final String endpoint;
        final String host;
        final byte[] nonce;
        final byte[] acked;
        final byte[] auth;
        final long sequence;
        try
        {
            heartbeatDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            heartbeatDecoder.flags();
            sequence = heartbeatDecoder.sequence();
            endpoint = heartbeatDecoder.endpoint();
            host = heartbeatDecoder.host();
            nonce = new byte[heartbeatDecoder.nonceLength()];
            heartbeatDecoder.getNonce(nonce, 0, nonce.length);
            acked = new byte[heartbeatDecoder.ackedNonceLength()];
            heartbeatDecoder.getAckedNonce(acked, 0, acked.length);
            auth = new byte[heartbeatDecoder.authLength()];
            heartbeatDecoder.getAuth(auth, 0, auth.length);
        }
        catch (final RuntimeException e)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return;
        }
        if (heartbeatDecoder.limit() > offset + length || nonce.length != PeerLink.NONCE_LENGTH ||
            endpoint.isEmpty() || endpoint.equals(ctx.clusterEndpoint()))
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return;
        }
        PeerLink link = linkOf(endpoint);
        if (link == null)
        {
            // A router that lists this one as a seed but is not in this one's list: a link is opened to it so that it
            // can be challenged (it is bridged once it proves the secret like any peer), up to the peers limit.
            if (links.size() >= RouterContext.CLUSTER_MAX_PEERS)
            {
                refused(endpoint, "over the limit of " + RouterContext.CLUSTER_MAX_PEERS + " peers (" +
                    RouterContext.CLUSTER_PEERS_PROP + ")");
                return;
            }
            LOG.log(System.Logger.Level.INFO, "cluster: router " + endpoint + " (" + host + ") names this one as " +
                "a peer; challenging it");
            link = addLink(endpoint);
        }
        if (!PeerLink.sameNonce(link.peerNonce(), nonce))
        {
            if (link.isUp())
            {
                LOG.log(System.Logger.Level.INFO, "cluster peer " + endpoint + " restarted or reset its link");
            }
            takeDown(link);
            link.peerNonce(nonce, host);
            link.bindImage(imageSession);
            link.sendHeartbeat(); // so that it learns this end's nonce now
        }
        if (acked.length == 0 || !PeerLink.sameNonce(link.nonce(), acked))
        {
            return; // it has not seen this end's nonce yet
        }
        if (!SecretFile.matches(PeerLink.auth(secret, nonce, acked, bytes(endpoint), sequence), auth))
        {
            refused(endpoint, "its proof of the shared secret is wrong (" + RouterContext.CLUSTER_SECRET_FILE_PROP +
                " differs)");
            return;
        }
        if (!link.acceptHeartbeat(sequence))
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED)); // replayed or reordered
            return;
        }
        link.bindImage(imageSession);
        link.heard(clock.nanoTime());
        if (!link.isUp())
        {
            link.up(true);
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_PEERS_CONNECTED));
            LOG.log(System.Logger.Level.INFO, "cluster peer " + endpoint + " (" + host + ") is up");
            link.resyncPending(true);
            sendSnapshot(link);
        }
    }

    private void refused(final String endpoint, final String why)
    {
        counters.increment(CounterIds.of(RouterCounter.CLUSTER_PEERS_REFUSED));
        final long nowNs = clock.nanoTime();
        if (lastRefusalLogNs == Long.MIN_VALUE || nowNs - lastRefusalLogNs > TimeUnit.SECONDS.toNanos(10))
        {
            lastRefusalLogNs = nowNs;
            LOG.log(System.Logger.Level.WARNING, "cluster peer " + endpoint + " refused: " + why);
        }
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void onPeerAgent(final PeerLink link)
    {
        agentDecoder.wrapAndApplyHeader(receiveBuffer, 0, headerDecoder);
        final long remoteId = agentDecoder.agentId();
        final long pid = agentDecoder.pid();
        agentDecoder.leaseMs();
        // LOW is kept when this bridge forwards it (LowBridge: a client appends to the queue of that name here, this
        // router ships it); without it, lookups here must not show LOW (the queue here would be read by nobody).
        final int tiers = receiveBuffer.getByte(agentDecoder.offset() + PeerAgentDecoder.tiersEncodingOffset()) & 0xFF &
            (lowBridge != null ? 0xFF : ~(1 << dev.switchboard.registry.AgentRecord.TIER_LOW));
        final int up = agentDecoder.up();
        final List<String> caps = new ArrayList<>();
        for (final PeerAgentDecoder.CapabilitiesDecoder cap : agentDecoder.capabilities())
        {
            caps.add(cap.capability());
        }
        final String name = agentDecoder.name();
        switch (up)
        {
            case PeerLink.SNAPSHOT_BEGIN ->
            {
                link.proxies().values().forEach(p ->
                {
                    p.stale = true;
                    p.unconfirmed = new java.util.HashSet<>(p.memberships);
                });
                pendingAgents.removeIf(p -> p.link == link); // the snapshot names them again if still refused
                workBridge.onSnapshotBegin(link);
            }
            case PeerLink.SNAPSHOT_END ->
            {
                final List<RemoteAgentSession> stale = new ArrayList<>();
                link.proxies().values().forEach(p ->
                {
                    if (p.stale)
                    {
                        stale.add(p);
                    }
                });
                for (final RemoteAgentSession p : stale)
                {
                    link.proxies().remove(p.remoteAgentId());
                    removeProxy(p, false);
                }
                link.proxies().values().forEach(this::leaveUnconfirmed);
                workBridge.onSnapshotEnd(link);
            }
            case 1 ->
            {
                final RemoteAgentSession known = link.proxies().get(remoteId);
                if (known != null)
                {
                    known.stale = false;
                    return;
                }
                register(new PendingAgent(link, remoteId, name, caps, pid, tiers));
            }
            case 0 ->
            {
                pendingAgents.removeIf(p -> p.link == link && p.remoteId == remoteId);
                final RemoteAgentSession proxy = link.proxies().remove(remoteId);
                if (proxy != null)
                {
                    removeProxy(proxy, false);
                }
            }
            default -> counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
        }
    }

    /**
     * Register a peer's agent here on a new proxy. When a local agent holds its name (both registered it within the
     * replication delay, or while their hosts were apart), the cluster's rule decides, the same on both routers: the
     * agent of the router whose cluster endpoint sorts first keeps the name. If that is the peer, the local agent is
     * taken out and told why ({@link Router#evictForNameConflict}); otherwise, or when the holder is another peer's
     * agent, the registration is kept pending and tried again whenever an agent leaves (at the next heartbeat tick),
     * and counted as a conflict.
     */
    private void register(final PendingAgent agent)
    {
        final PeerLink link = agent.link;
        RegistrationResult result = registerProxy(agent);
        if (result == null)
        {
            return;
        }
        final AgentRecord holder = router.agentByName(agent.name);
        if (holder != null && !proxiesByLocalId.containsKey(holder.agentId()) &&
            link.endpoint().compareTo(ctx.clusterEndpoint()) < 0)
        {
            router.evictForNameConflict(holder.agentId(), "agent '" + agent.name + "' was registered at the same " +
                "time on the router at " + link.endpoint() + " (host " + link.peerHost() + "); a name is unique " +
                "across the cluster and stays with the agent of the router whose endpoint sorts first, so this " +
                "registration (on " + ctx.clusterEndpoint() + ") is withdrawn");
            LOG.log(System.Logger.Level.WARNING, "agent '" + agent.name + "' of this router yields its name to the " +
                "agent of the same name on cluster peer " + link.endpoint());
            result = registerProxy(agent);
            if (result == null)
            {
                return;
            }
        }
        counters.increment(CounterIds.of(RouterCounter.CLUSTER_NAME_CONFLICTS));
        LOG.log(System.Logger.Level.WARNING, "agent '" + agent.name + "' of cluster peer " + link.endpoint() +
            " is not registered here (kept pending): " + result.message());
        pendingAgents.add(agent);
    }

    /** @return null when registered, else the registry's refusal. */
    private RegistrationResult registerProxy(final PendingAgent agent)
    {
        final PeerLink link = agent.link;
        final RemoteAgentSession proxy = new RemoteAgentSession(router.nextSessionId(), link, agent.remoteId);
        registeringBridged = true;
        final RegistrationResult result;
        try
        {
            result = router.registerBridged(proxy, agent.name, agent.caps, agent.pid, agent.tiers, proxyLeaseNs);
        }
        finally
        {
            registeringBridged = false;
        }
        if (!result.isOk())
        {
            proxy.close();
            return result;
        }
        link.proxies().put(agent.remoteId, proxy);
        proxiesByLocalId.put(proxy.localAgentId(), proxy);
        if (lowBridge != null && (agent.tiers & (1 << dev.switchboard.registry.AgentRecord.TIER_LOW)) != 0)
        {
            lowBridge.onRemoteAgent(proxy.localAgentId(), agent.name, link);
        }
        counters.increment(CounterIds.of(RouterCounter.CLUSTER_AGENTS_REPLICATED));
        return null;
    }

    /** An agent left (any, at the heartbeat tick): try the peers' agents whose names were taken again. */
    private void retryPendingAgents()
    {
        retryPending = false;
        if (pendingAgents.isEmpty())
        {
            return;
        }
        final List<PendingAgent> retry = new ArrayList<>(pendingAgents);
        pendingAgents.clear();
        for (final PendingAgent agent : retry)
        {
            if (agent.link.isUp() && !agent.link.proxies().containsKey(agent.remoteId) &&
                router.agentByName(agent.name) == null)
            {
                if (registerProxy(agent) == null)
                {
                    LOG.log(System.Logger.Level.INFO, "agent '" + agent.name + "' of cluster peer " +
                        agent.link.endpoint() + " is registered here now (its name was freed)");
                }
                else
                {
                    pendingAgents.add(agent);
                }
            }
            else if (agent.link.isUp() && !agent.link.proxies().containsKey(agent.remoteId))
            {
                pendingAgents.add(agent);
            }
        }
    }

    /** A peer's agent told to this router, not registered here yet (its name was taken). */
    private record PendingAgent(PeerLink link, long remoteId, String name, List<String> caps, long pid, int tiers)
    {
    }

    private void onPeerMembership(final PeerLink link)
    {
        membershipDecoder.wrapAndApplyHeader(receiveBuffer, 0, headerDecoder);
        final long remoteId = membershipDecoder.agentId();
        final boolean topic = membershipDecoder.topic() == 1;
        final boolean join = membershipDecoder.join() == 1;
        final String name = membershipDecoder.name();
        final RemoteAgentSession proxy = link.proxies().get(remoteId);
        if (proxy == null || proxy.localAgentId() == 0)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return;
        }
        final String key = (topic ? "t:" : "g:") + name;
        if (join)
        {
            proxy.memberships.add(key);
            if (proxy.unconfirmed != null)
            {
                proxy.unconfirmed.remove(key);
            }
        }
        else
        {
            proxy.memberships.remove(key);
        }
        router.joinBridged(proxy.localAgentId(), topic, name, join);
    }

    /**
     * The peer's snapshot ended: a topic or group its agent was announced in and that the snapshot did not name again
     * was left while a message was lost (a resync follows a failed send): leave it here too.
     */
    private void leaveUnconfirmed(final RemoteAgentSession proxy)
    {
        final java.util.Set<String> left = proxy.unconfirmed;
        proxy.unconfirmed = null;
        if (left == null || left.isEmpty() || proxy.localAgentId() == 0)
        {
            return;
        }
        for (final String key : left)
        {
            proxy.memberships.remove(key);
            router.joinBridged(proxy.localAgentId(), key.charAt(0) == 't', key.substring(2), false);
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_MEMBERSHIPS_RECONCILED));
        }
    }

    /**
     * An Envelope for a local agent: its source rewritten to the sender's proxy here (so that a response goes back
     * through the bridge), then delivered. A full receiver aborts the poll at this fragment (it comes again).
     */
    private ControlledFragmentHandler.Action onBridgedFrame(final PeerLink link, final int messageLength)
    {
        frameDecoder.wrapAndApplyHeader(receiveBuffer, 0, headerDecoder);
        final long target = frameDecoder.targetAgentId();
        final int frameLength = frameDecoder.frameLength();
        final int frameAt = HEADER + frameDecoder.sbeBlockLength() + BridgedFrameDecoder.frameHeaderLength();
        if (frameAt + frameLength > messageLength || frameLength < HEADER + EnvelopeEncoder.BLOCK_LENGTH)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        final int sourceAt = frameAt + HEADER + EnvelopeEncoder.sourceAgentIdEncodingOffset();
        final long remoteSource = receiveBuffer.getLong(sourceAt);
        final RemoteAgentSession sender = link.proxies().get(remoteSource);
        // A work item outlives its producer (it may have left since it enqueued): it is delivered with source 0.
        if (sender == null && !workBridge.isWorkItem(receiveBuffer, frameAt))
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        receiveBuffer.putLong(sourceAt, sender == null ? 0 : sender.localAgentId());
        final int status = router.deliverBridged(target, receiveBuffer, frameAt, frameLength);
        if (status == OfferStatus.BACK_PRESSURED)
        {
            backlogged = true; // the peer is heard (its message verified): the stream waits on this host's receiver
            return ControlledFragmentHandler.Action.ABORT;
        }
        if (status == OfferStatus.OK)
        {
            workBridge.onDelivered(link, target, receiveBuffer, frameAt);
        }
        counters.increment(CounterIds.of(status == OfferStatus.OK ?
            RouterCounter.CLUSTER_FRAMES_IN : RouterCounter.CLUSTER_FRAMES_UNDELIVERED));
        return ControlledFragmentHandler.Action.CONTINUE;
    }

    // ---------------------------------------------------------------------------------------------------
    // state, for the router process and tests

    /** @return the peers' endpoints that are up now. Router thread (approximate from others). */
    public List<String> peersUp()
    {
        final List<String> up = new ArrayList<>();
        for (final PeerLink link : new ArrayList<>(links))
        {
            if (link.isUp())
            {
                up.add(link.endpoint());
            }
        }
        return up;
    }

    /**
     * @param localAgentId an agent id on this router.
     * @return the host of the router the agent lives on when it is a peer's agent, else null. Router thread only.
     */
    public String hostOf(final long localAgentId)
    {
        final RemoteAgentSession proxy = proxiesByLocalId.get(localAgentId);
        return proxy == null ? null : proxy.link().peerHost();
    }

    @Override
    public void close()
    {
        for (final PeerLink link : links)
        {
            CloseHelper.quietClose(link::close);
        }
        CloseHelper.quietCloseAll(lowBridge, subscription, bridgeAeron);
    }

    /** Replicates this router's own agents to the peers that are up, as they come and go (router thread). */
    private final class Replicator implements RegistryListener, dev.switchboard.router.MembershipListener
    {
        @Override
        public void onMembership(final long agentId, final boolean topic, final String name, final boolean joined)
        {
            if (proxiesByLocalId.containsKey(agentId))
            {
                return; // a peer's agent: its own router tells the others
            }
            for (int i = 0, n = links.size(); i < n; i++)
            {
                final PeerLink link = links.get(i);
                if (link.isUp() && !link.resyncPending() && !link.sendMembership(agentId, topic, name, joined))
                {
                    link.resyncPending(true);
                }
            }
        }

        @Override
        public void onRegistered(final AgentRecord agent)
        {
            if (!registeringBridged)
            {
                tell(agent, 1);
            }
        }

        @Override
        public void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
        {
            retryPending |= !pendingAgents.isEmpty();
            if (!proxiesByLocalId.containsKey(agent.agentId()))
            {
                tell(agent, 0);
            }
        }

        private void tell(final AgentRecord agent, final int up)
        {
            for (int i = 0, n = links.size(); i < n; i++)
            {
                final PeerLink link = links.get(i);
                if (link.isUp() && !link.resyncPending() && !link.sendAgent(agent, up))
                {
                    link.resyncPending(true); // the snapshot, sent at the next heartbeat, makes up for it
                }
            }
        }
    }
}
