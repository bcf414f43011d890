/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.access.Authenticator;
import dev.switchboard.security.RegistrationToken;
import dev.switchboard.security.SecretFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registration tokens against a real router process on its real control socket: HMAC answers to the router's
 * per-connection challenge, JWTs (HS256, RS256), refusals with a reason and a counter, and the per-peer rate limit.
 */
@Timeout(60)
class AuthenticationTest
{
    @TempDir
    Path dir;

    private RouterProcess router;
    private IpcContext ipc;

    @AfterEach
    void stop()
    {
        if (router != null)
        {
            router.close();
        }
    }

    private void launch(final Authenticator auth)
    {
        ipc = new IpcContext().underDirectory(dir);
        router = RouterProcess.launch(new RouterContext().authenticator(auth), ipc);
    }

    private long count(final RouterCounter counter)
    {
        return router.router().counters().block().get(counter);
    }

    private SwitchboardClient client(final ClientContext ctx)
    {
        return SwitchboardClient.connect(ctx.connection(IpcConnection.connect(ipc)));
    }

    private static ClientContext plain()
    {
        return new ClientContext().secretFile(null).jwt(null);
    }

    @Test
    void anAgentWithTheSharedSecretRegisters() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        launch(new Authenticator().secretFile(secret));
        try (SwitchboardClient c = client(plain().secretFile(secret)))
        {
            assertTrue(c.register("Worker").agentId() > 0);
        }
        assertEquals(1, count(RouterCounter.AUTH_GRANTED));
    }

    @Test
    void registrationWithoutATokenIsRefusedWithTheReasonAndCounted() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        launch(new Authenticator().secretFile(secret).failureLimit(100, 1000));
        try (SwitchboardClient c = client(plain()))
        {
            final SwitchboardException ex = assertThrows(SwitchboardException.class, () -> c.register("Worker"));
            assertEquals(ErrorCode.AUTHENTICATION_FAILED, ex.code());
            assertTrue(ex.getMessage().contains("requires a registration token"), ex.getMessage());
        }
        assertEquals(1, count(RouterCounter.AUTH_TOKEN_MISSING));
        assertEquals(0, count(RouterCounter.AUTH_GRANTED));
    }

    @Test
    void anAnswerFromTheWrongSecretIsRefused() throws Exception
    {
        final Path secret = dir.resolve("secret");
        final Path other = dir.resolve("other");
        SecretFile.create(secret);
        SecretFile.create(other);
        launch(new Authenticator().secretFile(secret).failureLimit(100, 1000));
        try (SwitchboardClient c = client(plain().secretFile(other)))
        {
            final SwitchboardException ex = assertThrows(SwitchboardException.class, () -> c.register("Worker"));
            assertEquals(ErrorCode.AUTHENTICATION_FAILED, ex.code());
            assertTrue(ex.getMessage().contains("HMAC answer does not match"), ex.getMessage());
        }
        assertEquals(1, count(RouterCounter.AUTH_HMAC_MISMATCH));
    }

    @Test
    void anAnswerReplayedOnAnotherConnectionIsRefusedWhileItWorksOnItsOwn() throws Exception
    {
        final Path path = dir.resolve("secret");
        final SecretFile secret = SecretFile.create(path);
        launch(new Authenticator().secretFile(path).failureLimit(100, 1000));
        try (RawControl first = RawControl.connect(ipc.socketPath());
            RawControl second = RawControl.connect(ipc.socketPath()))
        {
            final byte[] answer = RegistrationToken.hmacCredential(secret, first.readChallenge(), "Replayed");
            second.readChallenge();
            second.register(7, "Replayed", answer);
            final UnsafeBuffer refused = second.read();
            assertEquals(ErrorDecoder.TEMPLATE_ID, second.templateId(refused));
            final ErrorDecoder error = RawControl.error(refused);
            assertEquals(7, error.correlationId());
            assertEquals(ErrorCode.AUTHENTICATION_FAILED, error.code());
            assertTrue(error.text().contains("another connection"), "reason names the check");

            first.register(8, "Replayed", answer);
            assertEquals(RegisteredDecoder.TEMPLATE_ID, first.templateId(first.read()), "the same answer is valid on " +
                "the connection whose challenge it answers");
        }
        assertEquals(1, count(RouterCounter.AUTH_HMAC_MISMATCH));
        assertEquals(1, count(RouterCounter.AUTH_GRANTED));
    }

    @Test
    void afterTheBurstOfFailuresAPeerIsRefusedAtConnectUntilItRefills() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        launch(new Authenticator().secretFile(secret).failureLimit(3, 60_000));
        for (int i = 0; i < 3; i++)
        {
            try (SwitchboardClient c = client(plain()))
            {
                assertEquals(ErrorCode.AUTHENTICATION_FAILED,
                    assertThrows(SwitchboardException.class, () -> c.register("Guess")).code());
            }
        }
        try (RawControl limited = RawControl.connect(ipc.socketPath()))
        {
            final UnsafeBuffer first = limited.read();
            assertEquals(ErrorDecoder.TEMPLATE_ID, limited.templateId(first), "no challenge: refused at once");
            final ErrorDecoder error = RawControl.error(first);
            assertEquals(ErrorCode.RATE_LIMITED, error.code());
            final String text = error.text();
            assertTrue(text.contains("switchboard.auth.failures.burst"), text);
            assertNull(limited.read(), "the router closes a rate-limited connection");
        }
        try (SwitchboardClient c = client(plain().secretFile(secret)))
        {
            assertEquals(ErrorCode.RATE_LIMITED,
                assertThrows(SwitchboardException.class, () -> c.register("Honest")).code(),
                "the limit is per peer user, whatever the token");
        }
        assertEquals(3, count(RouterCounter.AUTH_TOKEN_MISSING));
        assertTrue(count(RouterCounter.AUTH_RATE_LIMITED) >= 2);
    }

    @Test
    void jwtsSignedWithHs256OrRs256AreAcceptedAndExpiredOrForgedOnesRefused() throws Exception
    {
        final Path hsKeyPath = dir.resolve("jwt.key");
        SecretFile.create(hsKeyPath);
        final Algorithm hs = Algorithm.HMAC256(Files.readAllBytes(hsKeyPath));
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        final KeyPair pair = generator.generateKeyPair();
        final KeyPair stranger = generator.generateKeyPair();
        final Path pem = dir.resolve("jwt-public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" +
            Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        final Algorithm rs = Algorithm.RSA256((RSAPublicKey)pair.getPublic(), (RSAPrivateKey)pair.getPrivate());
        final Algorithm forged = Algorithm.RSA256(
            (RSAPublicKey)stranger.getPublic(), (RSAPrivateKey)stranger.getPrivate());
        launch(new Authenticator().jwtHs256SecretFile(hsKeyPath).jwtRs256PublicKeyFile(pem).failureLimit(100, 1000));

        assertRegisters(token("hs-agent", 60, hs));
        assertRegisters(token("rs-*", 60, rs).replace(" ", ""), "rs-agent");
        assertRefused(token("old", -60, hs), "old", "expired");
        assertRefused(token("forged", 60, forged), "forged", "SignatureVerificationException");
        assertRefused(token("someone-else", 60, hs), "thief", "does not cover this agent name");
        assertRefused(JWT.create().withSubject("none").withExpiresAt(Instant.now().plusSeconds(60))
            .sign(Algorithm.none()), "none", "algorithm none is not accepted");

        assertEquals(2, count(RouterCounter.AUTH_GRANTED));
        assertEquals(1, count(RouterCounter.AUTH_JWT_EXPIRED));
        assertEquals(3, count(RouterCounter.AUTH_JWT_INVALID));
    }

    private static String token(final String subject, final long expiresInSeconds, final Algorithm algorithm)
    {
        return JWT.create().withSubject(subject).withClaim("role", "agent")
            .withExpiresAt(Instant.now().plusSeconds(expiresInSeconds)).sign(algorithm);
    }

    private void assertRegisters(final String jwt, final String... name)
    {
        final String agent = name.length == 0 ? "hs-agent" : name[0];
        try (SwitchboardClient c = client(plain().jwt(jwt)))
        {
            assertNotNull(c.register(agent));
        }
    }

    private void assertRefused(final String jwt, final String name, final String reason)
    {
        try (SwitchboardClient c = client(plain().jwt(jwt)))
        {
            final SwitchboardException ex = assertThrows(SwitchboardException.class, () -> c.register(name));
            assertEquals(ErrorCode.AUTHENTICATION_FAILED, ex.code(), ex.getMessage());
            assertTrue(ex.getMessage().contains(reason), ex.getMessage());
        }
    }
}
