/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.security;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The credential an agent puts in its Register frame: one kind byte, then the token.
 *
 * <pre>
 *  0        1
 * +--------+-------------------------------------------------------------+
 * | kind   | token                                                       |
 * +--------+-------------------------------------------------------------+
 *   kind 1 (HMAC): 32 bytes, HMAC-SHA256(secret, "register", nonce, agent name) via SecretFile.derive
 *   kind 2 (JWT):  the compact JWT, UTF-8 (HS256 or RS256)
 *   empty credential: no token
 * </pre>
 *
 * The nonce is the router's {@code Challenge} for this connection, so an answer seen on one connection is
 * worthless on another (replay), and it binds the agent name.
 *
 * <p>Thread-safety: stateless. Allocation: every call (control plane).
 */
public final class RegistrationToken
{
    /** Label given to {@link SecretFile#derive} for registration answers. */
    public static final String LABEL = "register";
    /** Kind byte of an HMAC answer. */
    public static final byte KIND_HMAC = 1;
    /** Kind byte of a JWT. */
    public static final byte KIND_JWT = 2;
    /** Bytes of the router's nonce. */
    public static final int NONCE_BYTES = 32;

    private RegistrationToken()
    {
    }

    /**
     * @param secret    the deployment secret.
     * @param nonce     the router's challenge on this connection.
     * @param agentName the name being registered.
     * @return the HMAC answer as a credential.
     */
    public static byte[] hmacCredential(final SecretFile secret, final byte[] nonce, final String agentName)
    {
        final byte[] mac = answer(secret, nonce, agentName);
        final byte[] credential = new byte[1 + mac.length];
        credential[0] = KIND_HMAC;
        System.arraycopy(mac, 0, credential, 1, mac.length);
        return credential;
    }

    /**
     * @param secret    the deployment secret.
     * @param nonce     the challenge.
     * @param agentName the name.
     * @return the 32-byte answer.
     */
    public static byte[] answer(final SecretFile secret, final byte[] nonce, final String agentName)
    {
        return secret.derive(LABEL, nonce, agentName.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param jwt a compact JWT.
     * @return it as a credential.
     */
    public static byte[] jwtCredential(final String jwt)
    {
        final byte[] text = jwt.strip().getBytes(StandardCharsets.UTF_8);
        final byte[] credential = new byte[1 + text.length];
        credential[0] = KIND_JWT;
        System.arraycopy(text, 0, credential, 1, text.length);
        return credential;
    }

    /**
     * @param credential as received.
     * @return the token bytes after the kind byte.
     */
    public static byte[] body(final byte[] credential)
    {
        return Arrays.copyOfRange(credential, 1, credential.length);
    }
}
