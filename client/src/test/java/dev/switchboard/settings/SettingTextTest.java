package dev.switchboard.settings;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SettingText}: how a property's text becomes a value, and the errors that name the property.
 */
class SettingTextTest
{
    @Test
    void anUnsetSettingGivesTheDefault()
    {
        assertEquals(7, SettingText.parseInt("p", null, 7));
        assertEquals(7L, SettingText.parseLong("p", null, 7L));
        assertTrue(SettingText.parseBoolean("p", null, true));
        assertNull(SettingText.parsePath(null));
        assertEquals(Path.of("/d"), SettingText.parsePath(null, Path.of("/d")));
    }

    @Test
    void wholeNumbersAreDecimalWithBlanksAroundAllowed()
    {
        assertEquals(42, SettingText.parseInt("p", " 42 ", 7));
        assertEquals(-1L, SettingText.parseLong("p", "-1", 7L));
        assertEquals(10, SettingText.parseInt("p", "010", 7), "decimal, not octal as Integer.decode would read it");
    }

    @Test
    void aNumberThatIsNotOneIsRefusedNamingThePropertyAndTheText()
    {
        assertEquals("switchboard.x must be a whole number: '4k'", assertThrows(IllegalArgumentException.class,
            () -> SettingText.parseInt("switchboard.x", "4k", 7)).getMessage());
        assertEquals("switchboard.y must be a whole number: '1e9'", assertThrows(IllegalArgumentException.class,
            () -> SettingText.parseLong("switchboard.y", "1e9", 7)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SettingText.parseInt("p", "4294967296", 7));
    }

    @Test
    void booleansAreTrueOrFalseInAnyCaseAndNothingElse()
    {
        assertTrue(SettingText.parseBoolean("p", " TRUE", false));
        assertFalse(SettingText.parseBoolean("p", "False", true));
        assertEquals("switchboard.z must be true or false: 'yes'", assertThrows(IllegalArgumentException.class,
            () -> SettingText.parseBoolean("switchboard.z", "yes", false)).getMessage());
    }

    @Test
    void aBlankPathMeansNone()
    {
        assertNull(SettingText.parsePath("  "));
        assertEquals(Path.of("/d"), SettingText.parsePath("", Path.of("/d")));
        assertEquals(Path.of("/run/sb"), SettingText.parsePath("/run/sb", Path.of("/d")));
    }
}
