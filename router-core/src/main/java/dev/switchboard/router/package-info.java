/**
 * The router: {@link dev.switchboard.router.Router}, one duty cycle that takes every frame agents hand it (through the
 * MPSC {@link dev.switchboard.router.Ingress}, or straight from a transport on its own thread) and gives each to the
 * part that owns its kind; {@link dev.switchboard.router.RouterContext}, its settings;
 * {@link dev.switchboard.router.Session}, the SPI a transport implements for each connection; and
 * {@link dev.switchboard.router.QuietIdleStrategy}, how an idle router waits.
 *
 * <p>The parts, package-private, each owning its own state: {@code Sessions} (connections), {@code AccessControl}
 * (admission, authentication, grants; the checks are in {@link dev.switchboard.router.access}), {@code Registrar}
 * (registration, leases, lookups, registry watchers), {@code Routing} (point-to-point relay, publish/subscribe,
 * multicast, broadcast, back-pressure), {@code WorkQueues} (work items), {@code LinkBroker} (agent-to-agent link
 * grants), sharing {@code ControlReplies} (control frames out) and {@code CycleClock} (the cycle's now).
 *
 * <p>Thread-safety: everything here runs on the router's one duty-cycle thread, with plain fields and no locks, except
 * what each class names (handing sessions and frames over from other threads, waking a parked duty cycle).
 */
package dev.switchboard.router;
