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
 *
 * <p>A process stopped midway (SIGTERM, Ctrl-C) leaves no temporary file: a shutdown hook deletes
 * it. The hook is registered <em>before</em> the file is created and both sides take one lock, so
 * a stop that arrives while the file is being created cannot slip between the two.
 */
final class AtomicOutput implements AutoCloseable {
  private final Path target;
  private final TempFileGuard guard;
  private final FileOutputStream file;
  private final OutputStream stream;
  private boolean done;

  private AtomicOutput(Path target, TempFileGuard guard, FileOutputStream file) {
    this.target = target;
    this.guard = guard;
    this.file = file;
    this.stream = new BufferedOutputStream(file, 1 << 16);
  }

  /**
   * Deletes the temporary file at shutdown. Holds the lock that orders "the file is created" against
   * "the process is stopping": once the hook has run, no temporary file is created any more.
   */
  private static final class TempFileGuard {
    private final Thread hook = new Thread(this::deleteAtShutdown, "batchwise-output-cleanup");
    private boolean stopping;
    private Path temp;

    private synchronized void deleteAtShutdown() {
      stopping = true;
      deleteQuietly();
    }

    /** Creates and opens the file; opening it here too, since opening a deleted path recreates it. */
    private synchronized FileOutputStream create(Path target) throws IOException {
      requireRunning();
      temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
      return new FileOutputStream(temp.toFile());
    }

    private synchronized void moveTo(Path target) throws IOException {
      requireRunning();
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    }

    private void requireRunning() throws IOException {
      if (stopping) {
        throw new IOException("the process is stopping");
      }
    }

    private synchronized void deleteQuietly() {
      if (temp == null) {
        return;
      }
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // best effort: the process is ending or the run failed; a stray hidden .tmp file is harmless
      }
    }

    private void register() throws IOException {
      try {
        Runtime.getRuntime().addShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        throw new IOException("the process is stopping", shuttingDown);
      }
    }

    private void unregister() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it deletes only a file that is no longer there
      }
    }
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
    TempFileGuard guard = new TempFileGuard();
    try {
      guard.register();
      return new AtomicOutput(target, guard, guard.create(target));
    } catch (IOException | RuntimeException e) {
      guard.deleteQuietly();
      guard.unregister();
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
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
      guard.moveTo(target);
      done = true;
      guard.unregister();
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
    guard.deleteQuietly();
    done = true;
    guard.unregister();
  }
}
