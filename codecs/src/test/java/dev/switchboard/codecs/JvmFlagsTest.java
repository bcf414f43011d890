package dev.switchboard.codecs;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JvmFlags}: the lines of {@code jvm.flags}, and the flags a group of JVMs starts with.
 */
class JvmFlagsTest
{
    private static final List<String> FILE = List.of(
        "# a comment",
        "",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED   router agrona",
        "  --enable-native-access=ALL-UNNAMED\trouter native chronicle",
        "-Dchronicle.analytics.disable=true chronicle");

    @Test
    void aLineIsAFlagAndTheGroupsThatNeedItCommentsAndBlankLinesAside()
    {
        assertEquals(List.of(
                new JvmFlags.Flag("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                    Set.of(JvmFlags.Group.ROUTER, JvmFlags.Group.AGRONA)),
                new JvmFlags.Flag("--enable-native-access=ALL-UNNAMED",
                    Set.of(JvmFlags.Group.ROUTER, JvmFlags.Group.NATIVE, JvmFlags.Group.CHRONICLE)),
                new JvmFlags.Flag("-Dchronicle.analytics.disable=true", Set.of(JvmFlags.Group.CHRONICLE))),
            JvmFlags.parse(FILE, "jvm.flags"));
    }

    @Test
    void aLineWithoutGroupsOrNotStartingWithADashIsRefusedNamingTheLine()
    {
        final IllegalArgumentException noGroup = assertThrows(IllegalArgumentException.class,
            () -> JvmFlags.parse(List.of("# c", "--enable-native-access=ALL-UNNAMED"), "f"));
        assertEquals("f:2: expected a flag starting with '-' and the groups that need it, got " +
            "'--enable-native-access=ALL-UNNAMED'", noGroup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JvmFlags.parse(List.of("add-opens router"), "f"));
    }

    @Test
    void anUnknownGroupIsRefusedNamingTheKnownOnes()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> JvmFlags.parse(List.of("-Dx=1 router routr"), "f"));
        assertEquals("f:1: unknown group 'routr' (known: router, agent, agrona, native, chronicle, bench, maven)",
            ex.getMessage());
    }

    @Test
    void aGroupGetsEveryFlagThatNamesItOnceInTheFilesOrder()
    {
        final List<String> router = JvmFlags.router();
        assertEquals(router, JvmFlags.of(JvmFlags.Group.ROUTER, JvmFlags.Group.AGRONA), "agrona's are the router's");
        assertEquals(router.stream().distinct().toList(), router);
        for (final JvmFlags.Flag flag : JvmFlags.all())
        {
            assertEquals(flag.groups().contains(JvmFlags.Group.ROUTER), router.contains(flag.flag()), flag.flag());
        }
        assertEquals(List.of(), JvmFlags.of());
    }

    @Test
    void everyGroupHasAFlagAndTheRouterHasEveryOneButMavens()
    {
        for (final JvmFlags.Group group : JvmFlags.Group.values())
        {
            assertTrue(!JvmFlags.of(group).isEmpty(), group.fileName());
        }
        for (final JvmFlags.Flag flag : JvmFlags.all())
        {
            assertTrue(flag.groups().contains(JvmFlags.Group.ROUTER) || flag.groups().equals(Set.of(JvmFlags.Group.MAVEN)),
                flag.flag() + ": a router JVM runs every part of Switchboard");
        }
    }

    @Test
    void openingNamesTheFilesFlagForAPackage()
    {
        assertEquals("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", JvmFlags.opening("java.base/sun.nio.ch"));
        assertThrows(IllegalArgumentException.class, () -> JvmFlags.opening("java.base/java.util"));
    }
}
