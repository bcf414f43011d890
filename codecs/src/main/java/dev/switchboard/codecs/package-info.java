/** The wire contract: buffers and frame validation around the generated SBE codecs. */
package dev.switchboard.codecs;
