/**
 * Security of the control plane: the per-deployment {@link dev.switchboard.security.SecretFile}, registration
 * tokens ({@link dev.switchboard.security.RegistrationToken}: HMAC answers to the router's challenge, or JWTs),
 * the {@link dev.switchboard.router.access.Authenticator} that checks them with the kernel's
 * {@link dev.switchboard.security.PeerCredentials}, the {@link dev.switchboard.router.access.AccessPolicy} (policy file:
 * peers to {@link dev.switchboard.router.access.Role}s, roles to {@link dev.switchboard.router.access.Grants}) and the
 * per-peer {@link dev.switchboard.router.access.FailureLimiter}. Pure Java ({@code javax.crypto}, {@code java-jwt}); the
 * router calls it on its control plane only, except {@link dev.switchboard.router.access.Grants}' allocation-free checks
 * of data frames from restricted roles.
 *
 * <p>Thread-safety: stated per class.
 */
package dev.switchboard.router.access;
