package dev.switchboard.idle;

import java.util.Map;
import java.util.Properties;

import dev.switchboard.client.ClientContext;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IdleSettings}: names, defaults, properties (read by {@link ClientContext}) and the errors a bad value gets;
 * {@link IdleStrategies} maps each kind to its strategy.
 */
class IdleSettingsTest
{
    private final Properties saved = (Properties)System.getProperties().clone();

    @AfterEach
    void restoreProperties()
    {
        System.setProperties(saved);
    }

    @Test
    void defaultsAreSpinParkWithA200MicrosecondSpinAndNoYields()
    {
        final IdleSettings settings = new ClientContext().idleSettings();
        assertEquals(IdleSettings.Kind.SPIN_PARK, settings.kind());
        assertEquals(200_000, settings.spinNs());
        assertEquals(0, settings.yields());
        assertEquals(100, settings.maxParkMs());
        assertEquals(100_000_000L, settings.maxParkNs());
    }

    @Test
    void everyKindIsChosenByItsName()
    {
        for (final Map.Entry<String, IdleSettings.Kind> e : Map.of(
            "busy-spin", IdleSettings.Kind.BUSY_SPIN,
            "yield", IdleSettings.Kind.YIELD,
            " Backoff ", IdleSettings.Kind.BACKOFF,
            "spin-park", IdleSettings.Kind.SPIN_PARK).entrySet())
        {
            System.setProperty(IdleSettings.KIND_PROP, e.getKey());
            assertEquals(e.getValue(), new ClientContext().idleSettings().kind(), e.getKey());
        }
    }

    @Test
    void anUnknownKindIsRefusedNamingThePropertyTheValueAndTheChoices()
    {
        System.setProperty(IdleSettings.KIND_PROP, "sleepy");
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new ClientContext().idleSettings());
        assertTrue(ex.getMessage().contains(IdleSettings.KIND_PROP), ex.getMessage());
        assertTrue(ex.getMessage().contains("'sleepy'"), ex.getMessage());
        assertTrue(ex.getMessage().contains("busy-spin, yield, backoff, spin-park"), ex.getMessage());
    }

    @Test
    void aValueThatIsNotANumberIsRefusedNamingTheProperty()
    {
        System.setProperty(IdleSettings.SPIN_NS_PROP, "50us");
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new ClientContext().idleSettings());
        assertEquals(IdleSettings.SPIN_NS_PROP + " must be a whole number: '50us'", ex.getMessage());
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheLimitAndTheValue()
    {
        assertEquals(IdleSettings.SPIN_NS_PROP + " must be between 0 and 1000000000: -1", assertThrows(
            IllegalArgumentException.class, () -> IdleSettings.defaults().withSpinNs(-1)).getMessage());
        assertEquals(IdleSettings.YIELDS_PROP + " must be between 0 and 1000000: 1000001", assertThrows(
            IllegalArgumentException.class, () -> IdleSettings.defaults().withYields(1_000_001)).getMessage());
        assertEquals(IdleSettings.MAX_PARK_MS_PROP + " must be between 1 and 3600000: 0", assertThrows(
            IllegalArgumentException.class, () -> IdleSettings.defaults().withMaxParkMs(0)).getMessage());
        System.setProperty(IdleSettings.MAX_PARK_MS_PROP, "3600001");
        assertThrows(IllegalArgumentException.class, () -> new ClientContext().idleSettings());
    }

    @Test
    void eachKindMapsToItsStrategy()
    {
        final IdleSettings settings = IdleSettings.defaults();
        final ThreadParker parker = new ThreadParker();
        assertInstanceOf(BusySpinIdleStrategy.class,
            IdleStrategies.create(settings.withKind(IdleSettings.Kind.BUSY_SPIN), null, null, null));
        assertInstanceOf(YieldingIdleStrategy.class,
            IdleStrategies.create(settings.withKind(IdleSettings.Kind.YIELD), null, null, null));
        assertInstanceOf(BackoffIdleStrategy.class,
            IdleStrategies.create(settings.withKind(IdleSettings.Kind.BACKOFF), null, null, null));
        assertInstanceOf(SpinParkIdleStrategy.class,
            IdleStrategies.create(settings, parker, () -> false, null));
        assertThrows(IllegalArgumentException.class, () -> IdleStrategies.create(settings, null, () -> false, null),
            "spin-park needs a parker");
    }
}
