/**
 * Fuzz campaigns against live transports ({@code ./switchboard fuzz}): {@link dev.switchboard.fuzz.FuzzCampaign}
 * runs the codecs target (the validator and decoders, in process), the inbox target (garbage and impossible records in
 * a live reader's CRITICAL inbox) and the socket target (a router in a child JVM, attacked through its control and HIGH
 * sockets on each engine while well-behaved agents publish through it and a probe checks it answers), and reports
 * inputs, crashes, hangs, losses and broken rules with the seed and input indices that reproduce each, saving their
 * bytes. The inputs come from one generator ({@code HostileFrames} over the codecs' {@code FrameMutator}), shared with
 * the fuzz tests.
 */
package dev.switchboard.fuzz;
