/**
 * Security of the control plane: the per-deployment {@link dev.switchboard.security.SecretFile}, registration
 * tokens ({@link dev.switchboard.security.RegistrationToken}: HMAC answers to the router's challenge, or JWTs),
 * the {@link dev.switchboard.security.Authenticator} that checks them with the kernel's
 * {@link dev.switchboard.security.PeerCredentials}, the {@link dev.switchboard.security.AccessPolicy} (policy file:
 * peers to {@link dev.switchboard.security.Role}s, roles to {@link dev.switchboard.security.Grants}) and the
 * per-peer {@link dev.switchboard.security.FailureLimiter}. Pure Java ({@code javax.crypto}, {@code java-jwt}); the
 * router calls it on its control plane only, except {@link dev.switchboard.security.Grants}' allocation-free checks
 * of data frames from restricted roles.
 *
 * <p>Thread-safety: stated per class.
 */
package dev.switchboard.security;
