/**
 * Bad input for the wire contract, shared by the fuzz tests and the fuzz campaign ({@code ./switchboard fuzz}): one
 * valid sample of every message ({@link dev.switchboard.codecs.fuzz.SampleMessage}), a seeded structure-aware
 * mutator addressed by input index ({@link dev.switchboard.codecs.fuzz.FrameMutator}) and the oracle that says what
 * must hold for any input to the validator and the generated decoders ({@link dev.switchboard.codecs.fuzz.FrameOracle}).
 */
package dev.switchboard.codecs.fuzz;
