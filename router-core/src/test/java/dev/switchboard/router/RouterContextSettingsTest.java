package dev.switchboard.router;

import dev.switchboard.router.access.Authenticator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.idle.IdleSettings;
import dev.switchboard.router.access.Authenticator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RouterContext} and {@link ClientContext} are where the router's and the client's properties are read: when
 * the context is made, with the defaults of their constants, a text of the wrong type refused there and a value out
 * of range by {@code conclude()}, each naming the property.
 */
class RouterContextSettingsTest
{
    private final Properties saved = (Properties)System.getProperties().clone();

    @AfterEach
    void restoreProperties()
    {
        System.setProperties(saved);
    }

    @Test
    void withoutPropertiesEverySettingIsItsDefaultConstant()
    {
        final RouterContext router = new RouterContext();
        assertEquals(RouterContext.INGRESS_CAPACITY_DEFAULT, router.ingressCapacity());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(RouterContext.LEASE_MS_DEFAULT), router.defaultLeaseNs());
        assertEquals(RouterContext.LINK_GRANT_TTL_MS_DEFAULT, router.linkGrantTtlMs());
        assertEquals(RouterContext.ENGINE_AUTO, router.engine());
        assertFalse(router.useInvoker());

        final ClientContext client = new ClientContext();
        assertEquals(ClientContext.MAX_PENDING_DEFAULT, client.maxPendingRequests());
        assertEquals(ClientContext.RECONNECT_DEFAULT, client.reconnect());
        assertEquals(IdleSettings.defaults().toString(), client.idleSettings().toString());
    }

    @Test
    void aPropertyIsReadWhenTheContextIsMade()
    {
        System.setProperty(RouterContext.WORK_PREFETCH_PROP, "64");
        System.setProperty(RouterContext.LINK_GRANT_TTL_MS_PROP, "900");
        System.setProperty(RouterContext.INVOKER_PROP, "true");
        final RouterContext router = new RouterContext();
        System.clearProperty(RouterContext.WORK_PREFETCH_PROP);

        assertEquals(64, router.workPrefetch(), "read when made, not when asked");
        assertEquals(900, router.linkGrantTtlMs());
        assertTrue(router.useInvoker());

        System.setProperty(ClientContext.MAX_PENDING_PROP, "16");
        System.setProperty(IdleSettings.KIND_PROP, "busy-spin");
        final ClientContext client = new ClientContext();
        assertEquals(16, client.maxPendingRequests());
        assertEquals(IdleSettings.Kind.BUSY_SPIN, client.idleSettings().kind());
    }

    @Test
    void aTextOfTheWrongTypeFailsWhenTheContextIsMadeNamingTheProperty()
    {
        System.setProperty(RouterContext.MAX_AGENTS_PROP, "lots");
        assertEquals(RouterContext.MAX_AGENTS_PROP + " must be a whole number: 'lots'",
            assertThrows(IllegalArgumentException.class, RouterContext::new).getMessage());

        System.setProperty(ClientContext.RECONNECT_PROP, "sometimes");
        assertEquals(ClientContext.RECONNECT_PROP + " must be true or false: 'sometimes'",
            assertThrows(IllegalArgumentException.class, ClientContext::new).getMessage());
    }

    @Test
    void aValueOutOfRangeIsRefusedByConcludeNamingThePropertyTheLimitAndTheValue()
    {
        System.setProperty(RouterContext.LINK_GRANT_TTL_MS_PROP, "0");
        final RouterContext router = new RouterContext();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, router::conclude);
        assertEquals("link grant TTL (" + RouterContext.LINK_GRANT_TTL_MS_PROP + ") must be between 1 and 600000: 0",
            e.getMessage());
    }

    @Test
    void theRoutersAuthenticatorIsMadeFromTheAuthPropertiesAndOneSetByHandReadsNone()
    {
        System.setProperty(Authenticator.TOKEN_PROPERTY, "required");
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> new RouterContext().conclude());
        assertTrue(e.getMessage().startsWith(Authenticator.TOKEN_PROPERTY + "=required but no token method"),
            e.getMessage());

        new RouterContext().authenticator(new Authenticator()).conclude(); // its defaults: no token, nothing read
    }
}
