package io.batchwise.examples.cli;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output file written to a temporary file beside it and moved into place only when complete, so
 * that readers never see it half-written and a failed run leaves the old file (if any) untouched.
 * {@link #open} checks that the destination can be written before any work starts.
 */
final class AtomicOutput implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private final FileOutputStream file;
  private final OutputStream stream;
  private boolean done;

  private AtomicOutput(Path target, Path temp) throws IOException {
    this.target = target;
    this.temp = temp;
    this.file = new FileOutputStream(temp.toFile());
    this.stream = new BufferedOutputStream(file, 1 << 16);
  }

  /**
   * Checks the destination and opens a temporary file beside it.
   *
   * @param out the destination
   * @return the open output
   * @throws CliException an output error naming the file and why it cannot be written
   */
  static AtomicOutput open(Path out) {
    Outputs.requireWritable(out);
    Path target = out.toAbsolutePath().normalize();
    try {
      Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
      return new AtomicOutput(target, temp);
    } catch (IOException e) {
      throw CliException.output("cannot write " + out + ": " + e.getMessage());
    }
  }

  /**
   * The stream to write to (buffered).
   *
   * @return the stream
   */
  OutputStream stream() {
    return stream;
  }

  /**
   * Flushes, forces the bytes to disk and moves the file into place.
   *
   * @throws CliException an output error when that fails
   */
  void commit() {
    try {
      stream.flush();
      file.getChannel().force(true);
      stream.close();
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } catch (IOException e) {
      throw CliException.output("cannot write " + target + ": " + e.getMessage());
    }
  }

  /** Discards the temporary file unless {@link #commit()} moved it into place. */
  @Override
  public void close() {
    if (done) {
      return;
    }
    try {
      stream.close();
    } catch (IOException ignored) {
      // the file is deleted next; a close failure changes nothing
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // best effort: a stray hidden temp file is harmless and named as such
    }
    done = true;
  }
}
