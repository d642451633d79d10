package gaiola.template;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A template archive in the catalogue.
 *
 * @param compression told by its first bytes; empty when it is no archive Gaiola can read
 * @param source {@code gaiola} for Gaiola's own directory, {@code openvz} for OpenVZ's cache
 */
public record Template(
    String name, Path file, Optional<Compression> compression, long size, Instant modified, String source) {}
