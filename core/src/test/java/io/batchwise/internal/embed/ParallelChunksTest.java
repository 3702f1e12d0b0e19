package io.batchwise.internal.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelChunksTest {

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {0, 1, 7, 8, 9, 1000})
  @DisplayName("every position is visited exactly once, on a real pool")
  void visitsEachPositionOnce(int n) {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      AtomicIntegerArray visits = new AtomicIntegerArray(Math.max(1, n));
      ParallelChunks.run(
          n,
          8,
          pool,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              visits.incrementAndGet(i);
            }
          });
      for (int i = 0; i < n; i++) {
        assertThat(visits.get(i)).as("position %d", i).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName(
      "a pool that never runs its tasks, or rejects them, leaves the caller to run every chunk")
  void callerRunsWhatThePoolDoesNot() {
    for (Executor pool :
        new Executor[] {
          r -> {},
          r -> {
            throw new RejectedExecutionException("shut down");
          }
        }) {
      AtomicIntegerArray visits = new AtomicIntegerArray(100);
      ParallelChunks.run(
          100,
          8,
          pool,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              visits.incrementAndGet(i);
            }
          });
      for (int i = 0; i < 100; i++) {
        assertThat(visits.get(i)).isEqualTo(1);
      }
    }
  }

  @Test
  @DisplayName("a chunk's failure reaches the caller as itself")
  void failurePropagates() {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      assertThatThrownBy(
              () ->
                  ParallelChunks.run(
                      100,
                      8,
                      pool,
                      (from, to) -> {
                        if (from == 48) {
                          throw new IllegalArgumentException("chunk at 48");
                        }
                      }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("chunk at 48");
    } finally {
      pool.shutdownNow();
    }
  }
}
