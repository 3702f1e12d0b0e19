package io.batchwise.examples.cli;

import io.batchwise.io.AtomicFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where a command writes its output: a file, written to a temporary file beside it and moved into
 * place only when complete, so that readers never see it half-written and a failed run leaves the
 * old file (if any) untouched; a process stopped midway (SIGTERM, Ctrl-C) leaves no temporary file
 * (core's {@link AtomicFile}, which the index files use too). Or standard output ({@code --out -}),
 * which is written as the results come and cannot be taken back. {@link #open} checks that a file
 * can be written before any work starts, and failures become the command's output errors.
 */
abstract sealed class CommandOutput implements AutoCloseable {
  /** The name that stands for standard output on the command line. */
  static final String STDOUT = "-";

  /**
   * Checks the destination and opens a temporary file beside it.
   *
   * @param out the destination
   * @return the open output
   * @throws CliException an output error naming the file and why it cannot be written
   */
  static CommandOutput open(Path out) {
    Outputs.requireWritable(out);
    try {
      return new ToFile(AtomicFile.create(out));
    } catch (IOException e) {
      throw CliException.output("cannot write " + out.toAbsolutePath() + ": " + e.getMessage());
    }
  }

  /**
   * Standard output, left open after the command.
   *
   * @param stdout the command's standard output
   * @return the output
   */
  static CommandOutput stdout(PrintStream stdout) {
    return new ToStdout(stdout);
  }

  /**
   * The stream to write to (buffered).
   *
   * @return the stream
   */
  abstract OutputStream stream();

  /**
   * What messages call this output: an absolute path, or {@code stdout}.
   *
   * @return the name
   */
  abstract String name();

  /**
   * Overwrites the first bytes of a file after flushing what was written (npy's header, once its
   * row count is known).
   *
   * @param bytes the new first bytes
   * @throws IOException when writing fails
   * @throws UnsupportedOperationException for standard output, which cannot be taken back
   */
  abstract void rewriteStart(byte[] bytes) throws IOException;

  /**
   * Flushes, and for a file forces the bytes to disk and moves the file into place.
   *
   * @throws CliException an output error when that fails
   */
  abstract void commit();

  /** For a file: discards the temporary file unless {@link #commit()} moved it into place. */
  @Override
  public abstract void close();

  private static final class ToFile extends CommandOutput {
    private final AtomicFile file;
    private final OutputStream stream;

    ToFile(AtomicFile file) {
      this.file = file;
      this.stream = new BufferedOutputStream(file.stream(), 1 << 16);
    }

    @Override
    OutputStream stream() {
      return stream;
    }

    @Override
    String name() {
      return file.target().toString();
    }

    @Override
    void rewriteStart(byte[] bytes) throws IOException {
      stream.flush();
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        file.stream()
            .getChannel()
            .write(b, b.position()); // a positional write: the end stays where it is
      }
    }

    @Override
    void commit() {
      try {
        stream.flush();
        file.commit();
      } catch (IOException e) {
        throw CliException.output("cannot write " + file.target() + ": " + e.getMessage());
      }
    }

    @Override
    public void close() {
      file.close();
    }
  }

  private static final class ToStdout extends CommandOutput {
    private final PrintStream stdout;
    private final OutputStream stream;

    ToStdout(PrintStream stdout) {
      this.stdout = stdout;
      // closing the writer must not close the process's stdout
      this.stream =
          new BufferedOutputStream(
              new OutputStream() {
                @Override
                public void write(int b) {
                  stdout.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                  stdout.write(b, off, len);
                }

                @Override
                public void flush() {
                  stdout.flush();
                }
              },
              1 << 16);
    }

    @Override
    OutputStream stream() {
      return stream;
    }

    @Override
    String name() {
      return "stdout";
    }

    @Override
    void rewriteStart(byte[] bytes) {
      throw new UnsupportedOperationException("standard output cannot be rewritten");
    }

    @Override
    void commit() {
      try {
        stream.flush();
      } catch (IOException e) {
        throw CliException.output("cannot write to stdout: " + e.getMessage());
      }
      if (stdout.checkError()) { // PrintStream keeps its failures to itself until asked
        throw CliException.output("cannot write to stdout (closed pipe or full disk)");
      }
    }

    @Override
    public void close() {
      try {
        stream.flush();
      } catch (IOException ignored) {
        // commit() reports write failures; a failed run's partial output needs no second message
      }
    }
  }
}
