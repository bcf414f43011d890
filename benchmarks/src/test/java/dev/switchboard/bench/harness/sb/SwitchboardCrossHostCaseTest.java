package dev.switchboard.bench.harness.sb;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cross-host case hands the coordinator's router and cluster settings to its routers, but never the ones it sets
 * itself.
 */
class SwitchboardCrossHostCaseTest
{
    @Test
    void theCoordinatorsRouterAndClusterPropertiesReachTheRoutersButNotTheOnesTheCaseSets()
    {
        final String[] keys = {"switchboard.cluster.driver.threading", "switchboard.router.engine",
            "switchboard.cluster.endpoint", "switchboard.cluster.peers", "switchboard.cluster.secret.file",
            "switchboard.client.idle"};
        try
        {
            for (final String key : keys)
            {
                System.setProperty(key, "x");
            }
            assertEquals(List.of("-Dswitchboard.cluster.driver.threading=x", "-Dswitchboard.router.engine=x"),
                SwitchboardCrossHostCase.forwardedRouterProperties());
        }
        finally
        {
            for (final String key : keys)
            {
                System.clearProperty(key);
            }
        }
    }
}
