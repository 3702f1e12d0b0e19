package io.batchwise.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The command line's packaged jar, {@code target/batchwise-examples-*.jar} with its {@code lib/}
 * beside it.
 */
final class PackagedJar {
  private PackagedJar() {}

  /**
   * Finds the jar the package phase made.
   *
   * @return its absolute path
   * @throws IOException when {@code target/} cannot be listed
   * @throws IllegalStateException when there is no jar (the package phase has not run)
   */
  static Path find() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("batchwise-examples-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no jar in target/: run the package phase"))
          .toAbsolutePath();
    }
  }
}
