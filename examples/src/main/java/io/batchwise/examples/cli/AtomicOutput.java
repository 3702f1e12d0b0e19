package io.batchwise.examples.cli;

import io.batchwise.internal.io.AtomicFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * An output file written to a temporary file beside it and moved into place only when complete, so
 * that readers never see it half-written and a failed run leaves the old file (if any) untouched; a
 * process stopped midway (SIGTERM, Ctrl-C) leaves no temporary file (core's {@link AtomicFile}, which
 * the index files use too). {@link #open} checks that the destination can be written before any
 * work starts, and failures become the command's output errors.
 */
final class AtomicOutput implements AutoCloseable {
  private final AtomicFile file;
  private final OutputStream stream;

  private AtomicOutput(AtomicFile file) {
    this.file = file;
    this.stream = new BufferedOutputStream(file.stream(), 1 << 16);
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
    try {
      return new AtomicOutput(AtomicFile.create(out));
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
      file.commit();
    } catch (IOException e) {
      throw CliException.output("cannot write " + file.target() + ": " + e.getMessage());
    }
  }

  /** Discards the temporary file unless {@link #commit()} moved it into place. */
  @Override
  public void close() {
    file.close();
  }
}
