package io.batchwise.io;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file written to a temporary file beside its target and moved into place only when complete, so
 * that readers never see it half-written and a failed write leaves the previous file (if any) as it
 * was. Whatever ends the write early — an exception, {@link #close()} without {@link #commit()}, or
 * the process being stopped (SIGTERM, Ctrl-C) — deletes the temporary file.
 *
 * <p>The process stop is covered by a shutdown hook, registered <em>before</em> the temporary file
 * is created; the hook and the methods that create, move and delete the file take one lock, so a
 * stop that arrives while the file is being created cannot slip between the two, and once the hook
 * has run no temporary file is created or moved into place any more.
 *
 * <pre>{@code
 * try (AtomicFile file = AtomicFile.create(target)) {
 *   write(new BufferedOutputStream(file.stream()));   // flush it before commit
 *   file.commit();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread writes, commits and closes; only the shutdown hook runs elsewhere.
 */
public final class AtomicFile implements AutoCloseable {
  private final Path target;
  private final Guard guard;
  private final FileOutputStream stream;
  private boolean done;

  private AtomicFile(Path target, Guard guard, FileOutputStream stream) {
    this.target = target;
    this.guard = guard;
    this.stream = stream;
  }

  /**
   * Creates the temporary file beside {@code target} ({@code .NAME.RANDOM.tmp}, hidden on Unix).
   *
   * @param target the file to write; its directory must exist
   * @return the open file
   * @throws IOException when the temporary file cannot be created, or the process is stopping
   */
  public static AtomicFile create(Path target) throws IOException {
    return create(target, Hooks.RUNTIME);
  }

  static AtomicFile create(Path target, Hooks hooks) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Guard guard = new Guard(hooks);
    try {
      guard.register();
      return new AtomicFile(absolute, guard, guard.create(absolute));
    } catch (IOException | RuntimeException | Error e) {
      guard.deleteQuietly();
      guard.unregister();
      throw e;
    }
  }

  /**
   * The stream into the temporary file (unbuffered: wrap it, and flush the wrapper before {@link
   * #commit()}).
   *
   * @return the stream
   */
  public FileOutputStream stream() {
    return stream;
  }

  /**
   * The temporary file, for a writer that opens it by name (native code that writes to a path
   * rather than to a stream); {@link #commit()} moves whatever is in it then into place.
   *
   * @return the temporary file, or null once committed, closed or deleted at shutdown
   */
  public Path temporary() {
    return guard.temporary();
  }

  /**
   * The file's final place.
   *
   * @return the absolute target
   */
  public Path target() {
    return target;
  }

  /**
   * Forces the written bytes to disk, closes the stream and moves the file into place (atomically
   * where the file system can).
   *
   * @throws IOException when forcing or moving fails (the temporary file is deleted on {@link
   *     #close()}), or the process is stopping
   */
  public void commit() throws IOException {
    if (done) {
      throw new IllegalStateException("already committed or closed: " + target);
    }
    stream.getChannel().force(true);
    stream.close();
    guard.moveTo(target);
    done = true;
    guard.unregister();
  }

  /** Deletes the temporary file unless {@link #commit()} moved it into place. Idempotent. */
  @Override
  public void close() {
    if (done) {
      return;
    }
    done = true;
    try {
      stream.close();
    } catch (IOException ignored) {
      // the file is deleted next; a close failure changes nothing
    }
    guard.deleteQuietly();
    guard.unregister();
  }

  /** Adds and removes the shutdown hook; the JVM's runtime, or a stand-in that tests can run. */
  interface Hooks {
    Hooks RUNTIME =
        new Hooks() {
          @Override
          public void add(Thread hook) {
            Runtime.getRuntime().addShutdownHook(hook);
          }

          @Override
          public void remove(Thread hook) {
            Runtime.getRuntime().removeShutdownHook(hook);
          }
        };

    /**
     * Registers the hook.
     *
     * @param hook the hook
     * @throws IllegalStateException when the process is already stopping
     */
    void add(Thread hook);

    /**
     * Removes the hook.
     *
     * @param hook the hook
     * @throws IllegalStateException when the process is stopping
     */
    void remove(Thread hook);
  }

  /**
   * Holds the lock that orders "the file is created or moved" against "the process is stopping":
   * once the hook has run, no temporary file is created or moved any more.
   */
  private static final class Guard {
    private final Hooks hooks;
    private final Thread hook = new Thread(this::deleteAtShutdown, "batchwise-temp-file-cleanup");
    private boolean stopping;
    private Path temp;

    Guard(Hooks hooks) {
      this.hooks = hooks;
    }

    private synchronized void deleteAtShutdown() {
      stopping = true;
      deleteQuietly();
    }

    /**
     * Creates and opens the file; opening it here too, since opening a deleted path recreates it.
     * The file gets the permissions of any new file (the user's umask), not {@code
     * createTempFile}'s owner-only ones: it becomes the user's output, which others may be meant to
     * read.
     */
    private synchronized FileOutputStream create(Path target) throws IOException {
      requireRunning();
      // the name only has to differ from other writers' names, not be unguessable: createFile
      // refuses any path that exists, a planted link included, and a taken name draws another; so
      // no SecureRandom, whose seeding (an entropy read, the security providers) a command pays
      String prefix = "." + target.getFileName() + ".";
      while (true) {
        Path candidate =
            target.resolveSibling(
                prefix
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                    + ".tmp");
        try {
          temp =
              Files.createFile(candidate); // fails if anything, a symbolic link included, is there
          return new FileOutputStream(temp.toFile());
        } catch (FileAlreadyExistsException taken) {
          // another writer's temporary file: draw another name
        }
      }
    }

    private synchronized void moveTo(Path target) throws IOException {
      requireRunning();
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    }

    private synchronized Path temporary() {
      return temp;
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
        temp = null;
      } catch (IOException ignored) {
        // best effort: the process is ending or the write failed; a stray hidden .tmp file is
        // harmless
      }
    }

    private void register() throws IOException {
      try {
        hooks.add(hook);
      } catch (IllegalStateException shuttingDown) {
        throw new IOException("the process is stopping", shuttingDown);
      }
    }

    private void unregister() {
      try {
        hooks.remove(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it deletes only a file that is no longer there
      }
    }
  }
}
