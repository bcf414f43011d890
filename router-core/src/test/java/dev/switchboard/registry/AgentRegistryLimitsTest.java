package dev.switchboard.registry;

import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentRegistryLimitsTest
{
    private static final long LEASE_NS = 1_000_000_000L;
    private static final long T0 = 1_000L;

    private final AgentRegistry registry = new AgentRegistry(4, LEASE_NS, 10 * LEASE_NS);
    private final RecordingListener listener = new RecordingListener();

    private RegistrationResult register(final String name, final List<String> capabilities)
    {
        return registry.register(name, capabilities, 4242, 0, 0, 1, T0);
    }

    private RegistrationResult register(final String name)
    {
        return register(name, List.of());
    }

    private static void assertRefused(
        final RegistrationResult result, final ErrorCode expectedError, final String expectedMessage)
    {
        assertFalse(result.isOk(), result::toString);
        assertNull(result.agent());
        assertEquals(expectedError, result.errorCode());
        assertEquals(expectedMessage, result.message());
    }

    private static int utf8Length(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    private static List<String> capabilities(final int count)
    {
        final List<String> capabilities = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            capabilities.add("cap-" + i);
        }
        return capabilities;
    }

    @Test
    void nameOfExactlyTheMaximumLengthIsAccepted()
    {
        final String name = "n".repeat(WireLimits.MAX_NAME_LENGTH);

        assertTrue(register(name).isOk());
        assertEquals(name, registry.byName(name).name());
    }

    @Test
    void nameOneByteOverTheMaximumIsRefusedNamingTheLimitAndTheLength()
    {
        final String name = "Foo" + "o".repeat(WireLimits.MAX_NAME_LENGTH - 2);

        assertRefused(register(name), ErrorCode.NAME_INVALID,
            "name '" + name.substring(0, 32) + "\u2026' is 129 bytes; the limit is 128");
        assertEquals(0, registry.size());
    }

    @Test
    void nameLengthIsCountedInUtf8BytesNotCharacters()
    {
        final String twoByte = "\u00e9".repeat(WireLimits.MAX_NAME_LENGTH / 2);
        final String threeByte = "\u20ac".repeat(42) + "ab";
        final String fourByte = "\uD83D\uDE80".repeat(WireLimits.MAX_NAME_LENGTH / 4);
        assertEquals(WireLimits.MAX_NAME_LENGTH, utf8Length(twoByte));
        assertEquals(WireLimits.MAX_NAME_LENGTH, utf8Length(threeByte));
        assertEquals(WireLimits.MAX_NAME_LENGTH, utf8Length(fourByte));

        assertTrue(register(twoByte).isOk());
        assertTrue(register(threeByte).isOk());
        assertTrue(register(fourByte).isOk());
    }

    @Test
    void multiByteNameOneByteOverTheMaximumIsRefused()
    {
        final String twoByte = "\u00e9".repeat(WireLimits.MAX_NAME_LENGTH / 2) + "x";
        final String threeByte = "\u20ac".repeat(43);
        final String fourByte = "\uD83D\uDE80".repeat(WireLimits.MAX_NAME_LENGTH / 4) + "x";

        assertRefused(register(twoByte), ErrorCode.NAME_INVALID,
            "name '" + "\u00e9".repeat(32) + "\u2026' is 129 bytes; the limit is 128");
        assertRefused(register(threeByte), ErrorCode.NAME_INVALID,
            "name '" + "\u20ac".repeat(32) + "\u2026' is 129 bytes; the limit is 128");
        assertRefused(register(fourByte), ErrorCode.NAME_INVALID,
            "name '" + "\uD83D\uDE80".repeat(32) + "\u2026' is 129 bytes; the limit is 128");
    }

    @Test
    void veryLongNameIsQuotedShortEnoughForAnErrorFrame()
    {
        final RegistrationResult result = register("x".repeat(100_000));

        assertEquals(ErrorCode.NAME_INVALID, result.errorCode());
        assertTrue(result.message().endsWith("is 100000 bytes; the limit is 128"), result.message());
        assertTrue(utf8Length(result.message()) <= WireLimits.MAX_TEXT_LENGTH, result.message());
    }

    @Test
    void emptyOrMissingNameIsRefused()
    {
        assertRefused(register(""), ErrorCode.NAME_INVALID, "name is empty; it needs 1 to 128 UTF-8 bytes");
        assertRefused(register(null), ErrorCode.NAME_INVALID, "name is missing; it needs 1 to 128 UTF-8 bytes");
    }

    @Test
    void whitespaceOnlyNameIsRefused()
    {
        assertRefused(register("   "), ErrorCode.NAME_INVALID, "name '   ' is only whitespace");
        assertRefused(register("\u00a0\u2003"), ErrorCode.NAME_INVALID, "name '\u00a0\u2003' is only whitespace");
        assertTrue(register(" padded ").isOk());
    }

    @Test
    void nameWithAControlCharacterIsRefusedAndTheCharacterShownEscaped()
    {
        assertRefused(register("bad\u0007name"), ErrorCode.NAME_INVALID,
            "name 'bad\\u0007name' contains control character U+0007 at index 3");
        assertRefused(register("tab\tname"), ErrorCode.NAME_INVALID,
            "name 'tab\\u0009name' contains control character U+0009 at index 3");
        assertRefused(register("\u0085"), ErrorCode.NAME_INVALID,
            "name '\\u0085' contains control character U+0085 at index 0");
    }

    @Test
    void nameWithAnUnpairedSurrogateIsRefused()
    {
        assertRefused(register("ab\uD800"), ErrorCode.NAME_INVALID,
            "name 'ab\\uD800' contains an unpaired surrogate U+D800 at index 2");
    }

    @Test
    void capabilitiesUpToTheMaximumCountAreAccepted()
    {
        final RegistrationResult result = register("a", capabilities(WireLimits.MAX_CAPABILITIES));

        assertTrue(result.isOk(), result::toString);
        assertEquals(WireLimits.MAX_CAPABILITIES, result.agent().capabilities().size());
    }

    @Test
    void oneCapabilityOverTheMaximumCountIsRefused()
    {
        assertRefused(register("Testbed", capabilities(WireLimits.MAX_CAPABILITIES + 1)),
            ErrorCode.TOO_MANY_CAPABILITIES, "agent 'Testbed' lists 33 capabilities; the limit is 32");
    }

    @Test
    void capabilityCountIsCheckedAsListedBeforeDuplicatesAreDropped()
    {
        final List<String> duplicates = new ArrayList<>();
        for (int i = 0; i <= WireLimits.MAX_CAPABILITIES; i++)
        {
            duplicates.add("same");
        }

        assertEquals(ErrorCode.TOO_MANY_CAPABILITIES, register("a", duplicates).errorCode());
    }

    @Test
    void capabilityOfExactlyTheMaximumLengthIsAccepted()
    {
        final String capability = "c".repeat(WireLimits.MAX_CAPABILITY_LENGTH);
        final String multiByte = "\u00e9".repeat(WireLimits.MAX_CAPABILITY_LENGTH / 2);

        assertTrue(register("a", List.of(capability, multiByte)).isOk());
        assertEquals(1, registry.byCapability(capability).size());
        assertEquals(1, registry.byCapability(multiByte).size());
    }

    @Test
    void capabilityOneByteOverTheMaximumIsRefused()
    {
        final String capability = "c".repeat(WireLimits.MAX_CAPABILITY_LENGTH + 1);
        final String multiByte = "\u00e9".repeat(WireLimits.MAX_CAPABILITY_LENGTH / 2) + "x";

        assertRefused(register("a", List.of("ok", capability)), ErrorCode.CAPABILITY_INVALID,
            "capability 1 '" + "c".repeat(32) + "\u2026' is 65 bytes; the limit is 64");
        assertRefused(register("a", List.of(multiByte)), ErrorCode.CAPABILITY_INVALID,
            "capability 0 '" + "\u00e9".repeat(32) + "\u2026' is 65 bytes; the limit is 64");
    }

    @Test
    void emptyBlankOrControlCapabilityIsRefused()
    {
        assertRefused(register("a", List.of("ok", "")), ErrorCode.CAPABILITY_INVALID,
            "capability 1 is empty; it needs 1 to 64 UTF-8 bytes");
        assertRefused(register("a", List.of(" ")), ErrorCode.CAPABILITY_INVALID,
            "capability 0 ' ' is only whitespace");
        assertRefused(register("a", List.of("x\ny")), ErrorCode.CAPABILITY_INVALID,
            "capability 0 'x\\u000Ay' contains control character U+000A at index 1");
        final List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertRefused(register("a", withNull), ErrorCode.CAPABILITY_INVALID,
            "capability 0 is missing; it needs 1 to 64 UTF-8 bytes");
    }

    @Test
    void registryIsFullAtMaxAgentsPlusOne()
    {
        for (int i = 0; i < registry.maxAgents(); i++)
        {
            assertTrue(register("agent-" + i).isOk());
        }

        assertRefused(register("one-too-many"), ErrorCode.REGISTRY_FULL,
            "registry is full: 4 agents registered; the limit is 4 (maxAgents); cannot register 'one-too-many'");
        assertEquals(4, registry.size());
    }

    @Test
    void fullRegistryAcceptsAgainAfterAnAgentDeregisters()
    {
        long lastId = 0;
        for (int i = 0; i < registry.maxAgents(); i++)
        {
            lastId = register("agent-" + i).agent().agentId();
        }
        registry.deregister(lastId, DeregistrationReason.REQUESTED);

        assertTrue(register("newcomer").isOk());
        assertEquals(ErrorCode.REGISTRY_FULL, register("one-too-many").errorCode());
    }

    @Test
    void fullRegistryAcceptsAgainOnceALeaseHasRunOut()
    {
        registry.register("short-lived", List.of(), 1, 0, 10, 1, T0);
        for (int i = 1; i < registry.maxAgents(); i++)
        {
            assertTrue(register("agent-" + i).isOk());
        }
        assertEquals(ErrorCode.REGISTRY_FULL, registry.register("newcomer", List.of(), 1, 0, 0, 1, T0 + 9).errorCode());

        final RegistrationResult result = registry.register("newcomer", List.of(), 1, 0, 0, 1, T0 + 10);

        assertTrue(result.isOk(), result::toString);
        assertNull(registry.byName("short-lived"));
    }

    @Test
    void nameTakenIsReportedBeforeRegistryFull()
    {
        for (int i = 0; i < registry.maxAgents(); i++)
        {
            register("agent-" + i);
        }

        assertEquals(ErrorCode.NAME_TAKEN, register("agent-0").errorCode());
    }

    @Test
    void refusedRegistrationLeavesNoTrace()
    {
        registry.addListener(listener);

        register("");
        register("a", capabilities(WireLimits.MAX_CAPABILITIES + 1));
        register("b", List.of(""));

        assertEquals(0, registry.size());
        assertEquals(List.of(), listener.events);
        assertNull(registry.byName("a"));
        assertNull(registry.byName("b"));
        assertEquals(List.of(), registry.byCapability("cap-0"));
        assertTrue(register("a", List.of("cap-0")).isOk());
        assertEquals(0x1_0000_0001L, registry.byName("a").agentId());
    }
}
