/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.router.access;

import dev.switchboard.security.RegistrationToken;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.security.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;

/**
 * Decides who may connect and register: the kernel's peer credentials against the {@link AccessPolicy}, and the
 * registration token (an HMAC answer to the router's challenge, or a JWT) when one is configured. Configured through
 * its setters (a new instance has every default below and no token method); {@code RouterContext} makes one from the
 * properties below when none is set, and is the one that reads them. Files are loaded and checked once by
 * {@link #conclude}; the router calls it on its own thread.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value AccessPolicy#PROPERTY}</td><td>none: same user admin, others refused</td><td>policy file</td></tr>
 *   <tr><td>{@value SecretFile#PROPERTY}</td><td>none</td><td>0600 secret; when set, HMAC answers are accepted</td></tr>
 *   <tr><td>{@value #JWT_HS256_PROPERTY}</td><td>none</td><td>0600 file whose bytes are the HS256 key</td></tr>
 *   <tr><td>{@value #JWT_RS256_PROPERTY}</td><td>none</td><td>PEM file with the RS256 public key</td></tr>
 *   <tr><td>{@value #JWT_ISSUER_PROPERTY}</td><td>none (not checked)</td><td>required {@code iss} claim</td></tr>
 *   <tr><td>{@value #TOKEN_PROPERTY}</td><td>{@code required} when any token method is set, else
 *       {@code off}</td><td>{@code required}, {@code optional} (checked when offered) or {@code off}</td></tr>
 *   <tr><td>{@value #IN_PROCESS_ROLE_PROPERTY}</td><td>admin</td><td>role of in-process connections (trusted code in
 *       the router's JVM, never challenged)</td></tr>
 *   <tr><td>{@value FailureLimiter#BURST_PROPERTY}</td><td>{@value FailureLimiter#DEFAULT_BURST}</td><td>failures
 *       per peer before refusal</td></tr>
 *   <tr><td>{@value FailureLimiter#REFILL_PROPERTY}</td><td>{@value FailureLimiter#DEFAULT_REFILL_MS}</td><td>ms
 *       for one failure to be forgiven</td></tr>
 * </table>
 *
 * <p>JWT: algorithm HS256 or RS256 (whichever keys are configured; {@code alg: none} and others are refused), an
 * {@code exp} claim is required and checked, {@code sub} must equal the agent name or be a glob matching it, an
 * optional {@code role} claim names the role (else the policy's peer lines decide, with {@code subject=} lines).
 *
 * <p>Thread-safety: configure on one thread, then {@link #authenticate} on the router thread only.
 * Allocation: per connection and registration (control plane), never per data frame.
 */
public final class Authenticator
{
    /** Property: file with the HS256 key. */
    public static final String JWT_HS256_PROPERTY = "switchboard.auth.jwt.hs256.secret.file";
    /** Property: PEM file with the RS256 public key. */
    public static final String JWT_RS256_PROPERTY = "switchboard.auth.jwt.rs256.public.key.file";
    /** Property: required issuer. */
    public static final String JWT_ISSUER_PROPERTY = "switchboard.auth.jwt.issuer";
    /** Property: required, optional or off. */
    public static final String TOKEN_PROPERTY = "switchboard.auth.token";
    /** Property: role of in-process connections. */
    public static final String IN_PROCESS_ROLE_PROPERTY = "switchboard.auth.inprocess.role";
    /** Default of {@value #IN_PROCESS_ROLE_PROPERTY}. */
    public static final String IN_PROCESS_ROLE_DEFAULT = "admin";
    /** Challenge flag: the router requires a token. */
    public static final int FLAG_TOKEN_REQUIRED = 1;
    /** Largest credential accepted (kind byte included). */
    public static final int MAX_CREDENTIAL_BYTES = 4096;

    private Path policyFile;
    private Path secretPath;
    private Path hs256Path;
    private Path rs256Path;
    private String issuer;
    private String tokenMode;
    private Role inProcessRole = Role.parse(IN_PROCESS_ROLE_DEFAULT);
    private int failureBurst = FailureLimiter.DEFAULT_BURST;
    private long failureRefillMs = FailureLimiter.DEFAULT_REFILL_MS;

    private AccessPolicy policy;
    private SecretFile secret;
    private JWTVerifier hs256;
    private JWTVerifier rs256;
    private boolean tokenRequired;
    private boolean tokenChecked;
    private FailureLimiter limiter;

    /**
     * The outcome of {@link #authenticate}: granted, or refused with a reason.
     *
     * @param grants  what the agent may do; null when refused.
     * @param method  how it authenticated ({@code peer}, {@code hmac}, {@code jwt}); null when refused.
     * @param failure why it was refused; null when granted.
     * @param reason  text for the Error (names the check, never a secret).
     */
    public record Outcome(Grants grants, String method, AuthFailure failure, String reason)
    {
        static Outcome refused(final AuthFailure failure, final String reason)
        {
            return new Outcome(null, null, failure, reason);
        }

        /** @return true when granted. */
        public boolean isGranted()
        {
            return grants != null;
        }
    }

    /** @param v policy file, or null for the built-in policy. @return this. */
    public Authenticator policyFile(final Path v)
    {
        policyFile = v;
        return this;
    }

    /** @param v secret file for HMAC answers, or null. @return this. */
    public Authenticator secretFile(final Path v)
    {
        secretPath = v;
        return this;
    }

    /** @param v HS256 key file, or null. @return this. */
    public Authenticator jwtHs256SecretFile(final Path v)
    {
        hs256Path = v;
        return this;
    }

    /** @param v RS256 public key PEM, or null. @return this. */
    public Authenticator jwtRs256PublicKeyFile(final Path v)
    {
        rs256Path = v;
        return this;
    }

    /** @param v required JWT issuer, or null. @return this. */
    public Authenticator jwtIssuer(final String v)
    {
        issuer = v;
        return this;
    }

    /** @param v required, optional or off; null for the default. @return this. */
    public Authenticator tokenMode(final String v)
    {
        tokenMode = v;
        return this;
    }

    /** @param v role of in-process connections. @return this. */
    public Authenticator inProcessRole(final Role v)
    {
        inProcessRole = v;
        return this;
    }

    /** @param burst failures in a row. @param refillMs ms per forgiven failure. @return this. */
    public Authenticator failureLimit(final int burst, final long refillMs)
    {
        failureBurst = burst;
        failureRefillMs = refillMs;
        return this;
    }

    /**
     * Load the files and check the settings, once.
     *
     * @return this.
     * @throws IllegalArgumentException naming the property and file that are wrong.
     */
    public Authenticator conclude()
    {
        if (policy != null)
        {
            return this;
        }
        policy = policyFile == null ? AccessPolicy.sameUser(PeerCredentials.self()) : AccessPolicy.load(policyFile);
        secret = secretPath == null ? null : SecretFile.load(secretPath);
        final Algorithm hs = hs256Path == null ? null : Algorithm.HMAC256(readKey(hs256Path));
        final Algorithm rs = rs256Path == null ? null : Algorithm.RSA256(readRsaPublicKey(rs256Path), null);
        hs256 = hs == null ? null : verifier(hs);
        rs256 = rs == null ? null : verifier(rs);
        final boolean anyToken = secret != null || hs256 != null || rs256 != null;
        final String mode = tokenMode == null ? (anyToken ? "required" : "off") : tokenMode.trim();
        switch (mode)
        {
            case "required" -> tokenRequired = true;
            case "optional" -> tokenRequired = false;
            case "off" -> tokenRequired = false;
            default -> throw new IllegalArgumentException(TOKEN_PROPERTY + " must be required, optional or off: " +
                mode);
        }
        tokenChecked = !"off".equals(mode);
        if (tokenRequired && !anyToken)
        {
            throw new IllegalArgumentException(TOKEN_PROPERTY + "=required but no token method is configured: set " +
                SecretFile.PROPERTY + ", " + JWT_HS256_PROPERTY + " or " + JWT_RS256_PROPERTY);
        }
        limiter = new FailureLimiter(failureBurst, TimeUnit.MILLISECONDS.toNanos(failureRefillMs));
        return this;
    }

    private JWTVerifier verifier(final Algorithm algorithm)
    {
        final var builder = JWT.require(algorithm).withClaimPresence("exp").withClaimPresence("sub");
        if (issuer != null && !issuer.isBlank())
        {
            builder.withIssuer(issuer);
        }
        return builder.build();
    }

    private static byte[] readKey(final Path path)
    {
        SecretFile.load(path); // the same ownership, permission and size checks as the deployment secret
        return readBytes(path);
    }

    private static byte[] readBytes(final Path path)
    {
        try
        {
            return Files.readAllBytes(path);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(JWT_HS256_PROPERTY + ": cannot read " + path + ": " + ex, ex);
        }
    }

    private static RSAPublicKey readRsaPublicKey(final Path path)
    {
        try
        {
            final String pem = Files.readString(path, StandardCharsets.US_ASCII);
            final String body = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
            final byte[] der = Base64.getDecoder().decode(body);
            return (RSAPublicKey)KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        }
        catch (final IOException | GeneralSecurityException | IllegalArgumentException | ClassCastException ex)
        {
            throw new IllegalArgumentException(JWT_RS256_PROPERTY + ": " + path +
                " is not a PEM 'BEGIN PUBLIC KEY' RSA public key: " + ex, ex);
        }
    }

    /** @return the policy in force. */
    public AccessPolicy policy()
    {
        return policy;
    }

    /** @return true when every registration must carry a valid token. */
    public boolean tokenRequired()
    {
        return tokenRequired;
    }

    /** @return flags for the Challenge frame. */
    public int challengeFlags()
    {
        return tokenRequired ? FLAG_TOKEN_REQUIRED : 0;
    }

    /** @return grants of in-process connections. */
    public Grants inProcessGrants()
    {
        return policy.grants(inProcessRole);
    }

    /** @return the per-peer failure limiter. */
    public FailureLimiter limiter()
    {
        return limiter;
    }

    /**
     * @param peer connection credentials.
     * @return null to keep the connection, or the refusal.
     */
    public Outcome admit(final PeerCredentials peer)
    {
        if (policy.admitsAtConnect(peer))
        {
            return null;
        }
        return Outcome.refused(AuthFailure.PEER_NOT_ADMITTED, "connection refused: " + peer.describe() +
            " matches no peer line of the access policy (" + policy.source() + ")");
    }

    /**
     * Authenticate and authorise one Register.
     *
     * @param peer       connection credentials.
     * @param nonce      this connection's challenge (null for in-process connections).
     * @param agentName  name asked for.
     * @param credential the Register credential (kind byte + token), possibly empty.
     * @return granted with the role's grants, or refused with the reason.
     */
    public Outcome authenticate(
        final PeerCredentials peer, final byte[] nonce, final String agentName, final byte[] credential)
    {
        if (peer.inProcess())
        {
            final Grants g = inProcessGrants();
            return g.mayRegister(agentName) ? new Outcome(g, "in-process", null, null) :
                Outcome.refused(AuthFailure.NAME_NOT_PERMITTED, "register '" + agentName + "' refused: role " +
                    g.role().label() + " may not register this name");
        }
        final Outcome admitted = admit(peer);
        if (admitted != null)
        {
            return admitted;
        }
        String method = "peer";
        DecodedJWT jwt = null;
        if (credential.length == 0)
        {
            if (tokenRequired)
            {
                return Outcome.refused(AuthFailure.TOKEN_MISSING, "register '" + agentName +
                    "' refused: this router requires a registration token (HMAC answer to its challenge, or a JWT)" +
                    " and none was sent");
            }
        }
        else if (tokenChecked)
        {
            if (credential.length > MAX_CREDENTIAL_BYTES)
            {
                return Outcome.refused(AuthFailure.TOKEN_MALFORMED, "register refused: credential is " +
                    credential.length + " bytes; the limit is " + MAX_CREDENTIAL_BYTES);
            }
            switch (credential[0])
            {
                case RegistrationToken.KIND_HMAC ->
                {
                    if (secret == null)
                    {
                        return Outcome.refused(AuthFailure.TOKEN_MALFORMED, "register '" + agentName +
                            "' refused: an HMAC answer was sent but this router has no secret file (" +
                            SecretFile.PROPERTY + ")");
                    }
                    if (nonce == null || !SecretFile.matches(RegistrationToken.answer(secret, nonce, agentName),
                        RegistrationToken.body(credential)))
                    {
                        return Outcome.refused(AuthFailure.HMAC_MISMATCH, "register '" + agentName +
                            "' refused: the HMAC answer does not match this connection's challenge and name " +
                            "(wrong secret, or an answer from another connection)");
                    }
                    method = "hmac";
                }
                case RegistrationToken.KIND_JWT ->
                {
                    final String token = new String(RegistrationToken.body(credential), StandardCharsets.UTF_8);
                    final Object verified = verifyJwt(token, agentName);
                    if (verified instanceof Outcome refusal)
                    {
                        return refusal;
                    }
                    jwt = (DecodedJWT)verified;
                    method = "jwt";
                }
                default ->
                {
                    return Outcome.refused(AuthFailure.TOKEN_MALFORMED, "register '" + agentName +
                        "' refused: unknown credential kind " + (credential[0] & 0xFF) + " (1 = HMAC, 2 = JWT)");
                }
            }
        }
        final Role role;
        final Claim roleClaim = jwt == null ? null : jwt.getClaim("role");
        if (roleClaim != null && !roleClaim.isMissing() && !roleClaim.isNull())
        {
            try
            {
                role = Role.parse(String.valueOf(roleClaim.asString()));
            }
            catch (final IllegalArgumentException ex)
            {
                return Outcome.refused(AuthFailure.JWT_INVALID, "register '" + agentName + "' refused: JWT " +
                    ex.getMessage());
            }
        }
        else
        {
            final AccessPolicy.Rule rule = policy.match(peer, agentName, jwt == null ? null : jwt.getSubject());
            if (rule == null)
            {
                return Outcome.refused(AuthFailure.NO_ROLE, "register '" + agentName + "' refused: no peer line of " +
                    policy.source() + " grants a role to " + peer.describe() + " for this name" +
                    (jwt == null ? "" : " and JWT subject '" + jwt.getSubject() + "'"));
            }
            role = rule.role();
        }
        final Grants grants = policy.grants(role);
        if (!grants.mayRegister(agentName))
        {
            return Outcome.refused(AuthFailure.NAME_NOT_PERMITTED, "register '" + agentName + "' refused: role " +
                role.label() + " may not register this name (policy " + policy.source() + ")");
        }
        return new Outcome(grants, method, null, null);
    }

    private Object verifyJwt(final String token, final String agentName)
    {
        final DecodedJWT decoded;
        try
        {
            decoded = JWT.decode(token);
        }
        catch (final JWTDecodeException ex)
        {
            return Outcome.refused(AuthFailure.JWT_INVALID, "register '" + agentName + "' refused: the JWT is " +
                "not a well-formed compact token");
        }
        final JWTVerifier verifier = switch (String.valueOf(decoded.getAlgorithm()))
        {
            case "HS256" -> hs256;
            case "RS256" -> rs256;
            default -> null;
        };
        if (verifier == null)
        {
            return Outcome.refused(AuthFailure.JWT_INVALID, "register '" + agentName + "' refused: JWT algorithm " +
                decoded.getAlgorithm() + " is not accepted here (configured: " +
                (hs256 != null ? "HS256 " : "") + (rs256 != null ? "RS256" : "") + ")");
        }
        final DecodedJWT verified;
        try
        {
            verified = verifier.verify(decoded);
        }
        catch (final TokenExpiredException ex)
        {
            return Outcome.refused(AuthFailure.JWT_EXPIRED, "register '" + agentName + "' refused: the JWT expired at " +
                ex.getExpiredOn());
        }
        catch (final JWTVerificationException ex)
        {
            return Outcome.refused(AuthFailure.JWT_INVALID, "register '" + agentName + "' refused: JWT rejected: " +
                ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
        final String subject = verified.getSubject();
        if (!Glob.matches(subject, agentName))
        {
            return Outcome.refused(AuthFailure.JWT_INVALID, "register '" + agentName + "' refused: the JWT's " +
                "subject '" + subject + "' does not cover this agent name");
        }
        return verified;
    }

    /**
     * Fresh random bytes for a connection's challenge.
     *
     * @return {@value RegistrationToken#NONCE_BYTES} bytes.
     */
    public static byte[] newNonce()
    {
        final byte[] nonce = new byte[RegistrationToken.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
}
