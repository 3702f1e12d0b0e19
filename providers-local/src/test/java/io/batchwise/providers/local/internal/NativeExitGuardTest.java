package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The guard between ONNX Runtime's native calls and the JVM's exit: its exit hook (here run by the
 * test, as the JVM would run it) returns only after the native call in progress has returned, and
 * no native call starts once it has begun. {@code LocalInterruptIT} in the examples shows the
 * effect on a real process: Ctrl-C while a session is created exits 130, never with a crash.
 */
class NativeExitGuardTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  /** A guard whose hook the test holds instead of the JVM. */
  private static final class Hooked {
    final AtomicReference<Thread> hook = new AtomicReference<>();
    final NativeExitGuard guard = new NativeExitGuard(hook::set);
  }

  @Test
  @DisplayName(
      "the exit waits for the native call in progress, and refuses calls that would start meanwhile")
  void exitWaitsForTheCallInProgress() throws Exception {
    Hooked h = new Hooked();
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<Integer> call =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return h.guard.call(
                    () -> {
                      inside.countDown();
                      await(finish);
                      events.add("native call returned");
                      return 7;
                    });
              } catch (ai.onnxruntime.OrtException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(inside.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

    Thread exit = h.hook.get();
    assertThat(exit).as("the guard registered an exit hook").isNotNull();
    Thread exitThread =
        new Thread(
            () -> {
              exit.run();
              events.add("exit went on");
            });
    exitThread.start();
    Await.until(
        "the exit hook waits for the lock",
        BOUND,
        () -> exitThread.getState() == Thread.State.TIMED_WAITING);

    assertThatThrownBy(() -> h.guard.call(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the JVM is exiting");
    boolean[] released = {false};
    assertThat(h.guard.release(() -> released[0] = true))
        .as("native memory is left to the exit")
        .isFalse();
    assertThat(released[0]).isFalse();
    assertThat(exitThread.isAlive()).as("the exit waits while the native call runs").isTrue();

    finish.countDown();
    assertThat(call.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo(7);
    exitThread.join(BOUND.toMillis());
    assertThat(exitThread.isAlive()).isFalse();
    assertThat(events).containsExactly("native call returned", "exit went on");
  }

  @Test
  @DisplayName(
      "before the exit, calls and releases run; a guard made while the JVM exits refuses them")
  void callsRunUntilTheExit() throws Exception {
    Hooked h = new Hooked();
    assertThat(h.guard.call(() -> h.guard.call(() -> "nested"))).isEqualTo("nested");
    boolean[] released = {false};
    assertThat(h.guard.release(() -> released[0] = true)).isTrue();
    assertThat(released[0]).isTrue();

    NativeExitGuard late =
        new NativeExitGuard(
            hook -> {
              throw new IllegalStateException("Shutdown in progress");
            });
    assertThatThrownBy(() -> late.call(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the JVM is exiting");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
