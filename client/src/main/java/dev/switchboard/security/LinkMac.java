/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.security;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The optional per-link frame MAC: the setting, the link hello that starts a link when it is on, and the
 * per-link keys.
 *
 * <h2>Setting</h2>
 * {@value #PROPERTY} = {@code off} (default) or {@code on}, the same on the router and on every client; when
 * on, {@value SecretFile#PROPERTY} must name the deployment's secret file (see {@link SecretFile}).
 *
 * <h2>Link hello</h2>
 * When the MAC is on, each end of a link sends one hello before any frame, as an ordinary length-prefixed
 * frame of {@value #HELLO_LENGTH} bytes:
 * <pre>
 *   0        8         9        10       11       12                                  44
 *   +--------+---------+--------+--------+--------+-----------------------------------+
 *   | magic  | version | flags  | kind   | tag    | nonce (32 random bytes)           |
 *   | 8 B    | 1       | bit0:  | 1 CTRL | length |                                   |
 *   |SWBLINK1|         | MAC on | 2 HIGH | 16     |                                   |
 *   |        |         |        | 3 LINK |        |                                   |
 *   |        |         |        |  NORMAL|        |                                   |
 *   |        |         |        | 4 LINK |        |                                   |
 *   |        |         |        |  HIGH  |        |                                   |
 *   +--------+---------+--------+--------+--------+-----------------------------------+
 * </pre>
 * The magic's bytes 4-5 (where an SBE header has its schema id) are not our schema id, so a hello can never
 * be taken for a frame. An end with the MAC off sends no hello (the wire is exactly as before), but checks the
 * first frame of each link: a hello there means the peer has the MAC on, and it answers with a hello whose
 * flag says off, then closes the link with an error naming the setting; so a mismatch either way is reported
 * at link setup by both ends, never as garbage frames.
 *
 * <h2>Keys</h2>
 * Never the secret itself: each direction has its own key,
 * {@code SecretFile.derive("link-mac", clientNonce, serverNonce, [kind], [direction])} (direction 0 is client
 * to router, 1 router to client; on an agent-to-agent link the connecting agent is the client and the accepting
 * one the server), so every link and each of its directions has a fresh key.
 *
 * <p>Thread-safety: immutable. Allocation: at link setup only.
 */
public final class LinkMac
{
    /** System property: {@code off} (default) or {@code on}. */
    public static final String PROPERTY = "switchboard.link.mac";
    /** Default of {@value #PROPERTY}. */
    public static final String DEFAULT = "off";
    /** Bytes of a hello (after the link's length prefix). */
    public static final int HELLO_LENGTH = 44;
    /** Bytes of each end's nonce. */
    public static final int NONCE_LENGTH = 32;
    /** Link kind: the control socket (which also carries NORMAL frames). */
    public static final byte KIND_CONTROL = 1;
    /** Link kind: the HIGH io_uring socket. */
    public static final byte KIND_HIGH = 2;
    /** Link kind: an agent-to-agent NORMAL link ({@code java.nio} on the sending side). */
    public static final byte KIND_LINK_NORMAL = 3;
    /** Link kind: an agent-to-agent HIGH link (io_uring at both ends). */
    public static final byte KIND_LINK_HIGH = 4;

    private static final byte[] MAGIC = {'S', 'W', 'B', 'L', 'I', 'N', 'K', '1'};
    private static final byte VERSION = 1;
    private static final int FLAG_MAC_ON = 1;
    private static final int VERSION_OFFSET = 8;
    private static final int FLAGS_OFFSET = 9;
    private static final int KIND_OFFSET = 10;
    private static final int TAG_LENGTH_OFFSET = 11;
    private static final int NONCE_OFFSET = 12;
    private static final LinkMac OFF = new LinkMac(null);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretFile secret;

    private LinkMac(final SecretFile secret)
    {
        this.secret = secret;
    }

    /** @return the MAC off. */
    public static LinkMac off()
    {
        return OFF;
    }

    /**
     * @param secret the deployment secret the link keys derive from.
     * @return the MAC on.
     */
    public static LinkMac on(final SecretFile secret)
    {
        if (secret == null)
        {
            throw new IllegalArgumentException("the frame MAC needs the secret file");
        }
        return new LinkMac(secret);
    }

    /**
     * The setting from the text of its properties (read by {@code IpcContext}, the one reader).
     *
     * @param value      the text of {@value #PROPERTY}: {@code on} or {@code off} (case and blanks ignored), or null
     *                   for the default, {@value #DEFAULT}.
     * @param secretFile the text of {@value SecretFile#PROPERTY}, the deployment's secret file, needed when on; null
     *                   or blank when unset.
     * @return the setting.
     * @throws IllegalArgumentException for a value other than on/off, or when on without a usable secret file.
     */
    public static LinkMac fromSetting(final String value, final String secretFile)
    {
        final String setting = null == value ? DEFAULT : value.trim();
        if ("off".equalsIgnoreCase(setting))
        {
            return OFF;
        }
        if (!"on".equalsIgnoreCase(setting))
        {
            throw new IllegalArgumentException(PROPERTY + " must be on or off: " + setting);
        }
        if (secretFile == null || secretFile.isBlank())
        {
            throw new IllegalArgumentException(PROPERTY + "=on needs " + SecretFile.PROPERTY +
                " naming the deployment's secret file (0600), the same on the router and its clients");
        }
        return on(SecretFile.load(Path.of(secretFile)));
    }

    /** @return whether links carry a frame MAC. */
    public boolean enabled()
    {
        return secret != null;
    }

    /** @return a fresh random nonce for a hello. */
    public static byte[] newNonce()
    {
        final byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /**
     * @param kind  {@link #KIND_CONTROL} or {@link #KIND_HIGH}.
     * @param nonce this end's nonce ({@value #NONCE_LENGTH} bytes); ignored (zeros sent) when the MAC is off.
     * @return this end's hello, {@value #HELLO_LENGTH} bytes.
     */
    public byte[] hello(final byte kind, final byte[] nonce)
    {
        final byte[] hello = new byte[HELLO_LENGTH];
        System.arraycopy(MAGIC, 0, hello, 0, MAGIC.length);
        hello[VERSION_OFFSET] = VERSION;
        hello[FLAGS_OFFSET] = (byte)(enabled() ? FLAG_MAC_ON : 0);
        hello[KIND_OFFSET] = kind;
        hello[TAG_LENGTH_OFFSET] = FrameMac.TAG_LENGTH;
        if (enabled())
        {
            System.arraycopy(nonce, 0, hello, NONCE_OFFSET, NONCE_LENGTH);
        }
        return hello;
    }

    /**
     * @param frame a received frame's bytes (at least its first 8).
     * @return whether it starts with the hello magic.
     */
    public static boolean isHello(final byte[] frame)
    {
        return frame.length >= MAGIC.length && Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Check the peer's hello against this end's setting.
     *
     * @param hello    the peer's first frame.
     * @param kind     the link kind expected.
     * @param peerName who the peer is, for the message ("the router", "the client").
     * @return the peer's nonce.
     * @throws IllegalStateException with a message naming the mismatch: not a hello (the peer has the MAC off),
     *                               the peer's flag off, another kind, version or tag length.
     */
    public byte[] checkPeerHello(final byte[] hello, final byte kind, final String peerName)
    {
        if (!isHello(hello))
        {
            throw new IllegalStateException("link setup failed: " + peerName + " sent a frame before the link hello; " +
                "it runs with " + PROPERTY + "=off while this side has on (set the same value on both)");
        }
        if (hello.length != HELLO_LENGTH || hello[VERSION_OFFSET] != VERSION)
        {
            throw new IllegalStateException("link setup failed: " + peerName + " sent a link hello of version " +
                hello[VERSION_OFFSET] + " and " + hello.length + " bytes; this side speaks version " + VERSION +
                " of " + HELLO_LENGTH + " bytes");
        }
        if ((hello[FLAGS_OFFSET] & FLAG_MAC_ON) == 0)
        {
            throw new IllegalStateException("link setup failed: " + peerName + " runs with " + PROPERTY +
                "=off while this side has on (set the same value on both)");
        }
        if (hello[KIND_OFFSET] != kind || hello[TAG_LENGTH_OFFSET] != FrameMac.TAG_LENGTH)
        {
            throw new IllegalStateException("link setup failed: " + peerName + " sent a hello for link kind " +
                hello[KIND_OFFSET] + " with a " + hello[TAG_LENGTH_OFFSET] + "-byte tag; expected kind " + kind +
                " and " + FrameMac.TAG_LENGTH);
        }
        return Arrays.copyOfRange(hello, NONCE_OFFSET, NONCE_OFFSET + NONCE_LENGTH);
    }

    /**
     * The message an end with the MAC off gives when its peer's first frame is a hello.
     *
     * @param peerName who the peer is.
     * @return the error.
     */
    public static String peerHasMacOn(final String peerName)
    {
        return "link setup failed: " + peerName + " runs with " + PROPERTY + "=on while this side has off " +
            "(set the same value on both)";
    }

    /**
     * The per-link keys, one per direction.
     *
     * @param server      whether this end is the router's.
     * @param kind        the link kind.
     * @param clientNonce the client's nonce.
     * @param serverNonce the router's nonce.
     * @return this end's frame MAC.
     */
    public FrameMac frameMac(final boolean server, final byte kind, final byte[] clientNonce, final byte[] serverNonce)
    {
        if (!enabled())
        {
            throw new IllegalStateException(PROPERTY + " is off");
        }
        final byte[] kindBytes = {kind};
        final byte[] toServer = secret.derive("link-mac", clientNonce, serverNonce, kindBytes, new byte[]{0});
        final byte[] toClient = secret.derive("link-mac", clientNonce, serverNonce, kindBytes, new byte[]{1});
        return server ? new FrameMac(toClient, toServer) : new FrameMac(toServer, toClient);
    }

    @Override
    public String toString()
    {
        return enabled() ? "on" : "off";
    }
}
