package io.batchwise.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks made before any work starts, so that a long job never ends in "cannot write". */
final class Outputs {
  private Outputs() {}

  /**
   * Checks that {@code out} can be created or replaced.
   *
   * @param out the output path
   * @throws CliException an output error naming the file (as an absolute path) and why
   */
  static void requireWritable(Path out) {
    Path target = out.toAbsolutePath().normalize();
    Path dir = target.getParent();
    if (Files.isDirectory(target)) {
      throw CliException.output("cannot write " + target + ": it is a directory");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw CliException.output(
          "cannot write " + target + ": directory " + dir + " does not exist");
    }
    if (!Files.isWritable(dir) || (Files.exists(target) && !Files.isWritable(target))) {
      throw CliException.output("cannot write " + target + ": permission denied");
    }
  }
}
