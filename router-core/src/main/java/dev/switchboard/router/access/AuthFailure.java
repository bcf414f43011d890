/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.router.access;

/**
 * Why the router refused a connection or a registration. Each is counted (see {@code RouterCounter.AUTH_*})
 * and named in the Error the peer receives; no reason text ever carries a secret or a token.
 *
 * <p>Thread-safety: immutable. Allocation: none.
 */
public enum AuthFailure
{
    /** The peer's user and group match no policy line (or it could not be identified). */
    PEER_NOT_ADMITTED,
    /** A token is required and the Register frame carried none. */
    TOKEN_MISSING,
    /** The credential's kind byte is unknown, or a token type is offered that this router does not accept. */
    TOKEN_MALFORMED,
    /** The HMAC answer does not match this connection's challenge and the agent name. */
    HMAC_MISMATCH,
    /** The JWT's signature, algorithm, issuer, subject or claims are wrong. */
    JWT_INVALID,
    /** The JWT has expired. */
    JWT_EXPIRED,
    /** No policy line grants a role to this peer and name. */
    NO_ROLE,
    /** The role may not register this name. */
    NAME_NOT_PERMITTED,
    /** Too many failures from this peer: refused without checking. */
    RATE_LIMITED
}
