/**
 * Security of the control plane: the per-deployment {@link dev.switchboard.security.SecretFile}, and what is
 * derived from it. Pure Java ({@code javax.crypto}); nothing here is on a data-plane hot path.
 *
 * <p>Thread-safety: stated per class.
 */
package dev.switchboard.security;
