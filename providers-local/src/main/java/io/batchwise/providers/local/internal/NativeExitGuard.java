package io.batchwise.providers.local.internal;

import ai.onnxruntime.OrtException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ONNX Runtime's native code and the JVM's exit apart. An exit (Ctrl-C, SIGTERM, {@code
 * System.exit}) runs the shutdown hooks alongside the application's threads, ONNX Runtime's
 * binding's own among them (it releases the native environment; {@link EnvironmentPin} makes that
 * release harmless), and then ends in the C library's {@code exit}, whose handlers destroy ONNX
 * Runtime's static state: a thread still inside ONNX Runtime then (creating a session takes a
 * second or more) would crash the JVM with SIGSEGV, exit code 134 and an {@code hs_err_pid*.log}.
 * This guard's shutdown hook waits for the native calls in progress to return and refuses new ones,
 * so that the exit goes on only with ONNX Runtime idle.
 *
 * <p>Every call into ONNX Runtime goes through {@link #call} (or {@link #release} for freeing
 * native memory). Thread-safe.
 */
final class NativeExitGuard {
  /**
   * How long the hook waits for the native calls in progress: longer than creating a session of any
   * model this provider runs takes on a slow machine; a call stuck longer than that is left to the
   * exit rather than keeping the process alive.
   */
  static final Duration EXIT_WAIT = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(NativeExitGuard.class);
  private static final NativeExitGuard RUNTIME =
      new NativeExitGuard(Runtime.getRuntime()::addShutdownHook);

  /** Native calls hold it shared; the exit takes it exclusively and never gives it back. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private volatile boolean exiting;

  /** One call into ONNX Runtime. */
  @FunctionalInterface
  interface NativeCall<T> {
    T call() throws OrtException;
  }

  /** One release of native memory. */
  @FunctionalInterface
  interface NativeRelease {
    void release() throws OrtException;
  }

  /**
   * A guard whose hook is registered with {@code hooks}.
   *
   * @param hooks registers the hook that runs at exit (the JVM's shutdown hooks, or a test's
   *     stand-in)
   */
  NativeExitGuard(Consumer<Thread> hooks) {
    try {
      hooks.accept(new Thread(this::awaitExit, "batchwise-onnx-exit-guard"));
    } catch (IllegalStateException e) {
      exiting = true; // the JVM is exiting already: no native call may start
    }
  }

  /**
   * The guard of this JVM.
   *
   * @return the guard whose hook the JVM runs at exit
   */
  static NativeExitGuard runtime() {
    return RUNTIME;
  }

  /**
   * Runs a native call, unless the JVM is exiting.
   *
   * @param call the call
   * @param <T> its result type
   * @return its result
   * @throws OrtException when ONNX Runtime fails
   * @throws IllegalStateException when the JVM is exiting (the call is not made)
   */
  <T> T call(NativeCall<T> call) throws OrtException {
    if (!enter()) {
      throw new IllegalStateException("the JVM is exiting: ONNX Runtime takes no more calls");
    }
    try {
      return call.call();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Frees native memory, unless the JVM is exiting: then the process's end frees it, and freeing it
   * now could race the exit.
   *
   * @param release the release
   * @return whether it ran
   * @throws OrtException when ONNX Runtime fails
   */
  boolean release(NativeRelease release) throws OrtException {
    if (!enter()) {
      return false;
    }
    try {
      release.release();
      return true;
    } finally {
      lock.readLock().unlock();
    }
  }

  private boolean enter() {
    if (exiting || !lock.readLock().tryLock()) {
      return false;
    }
    if (exiting) { // the hook began meanwhile and waits for this thread: do not start
      lock.readLock().unlock();
      return false;
    }
    return true;
  }

  /** The hook: no call starts any more; the ones in progress return before the exit goes on. */
  void awaitExit() {
    exiting = true;
    try {
      if (!lock.writeLock().tryLock(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "ONNX Runtime calls still running {} after the JVM began to exit; exiting under them",
            EXIT_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
