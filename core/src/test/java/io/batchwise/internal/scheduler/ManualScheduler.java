package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.CloseMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;

/**
 * A local scheduler whose bookkeeping and agents run on the test's own thread, under a clock that
 * moves only when the test advances it: every outcome is deterministic. Results are delivered to
 * subscribers on one real thread.
 */
abstract class ManualScheduler {
  /**
   * The jitter source: always the middle, so a jittered wait is {@code base × (1 − jitter / 2)}.
   */
  static final double RANDOM = 0.5;

  final ManualTimeSource time = new ManualTimeSource();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ExecutorService delivery = Executors.newSingleThreadExecutor();
  final LocalScheduler scheduler =
      new LocalScheduler(
          registry,
          SchedulerResources.borrowed(Runnable::run, Runnable::run, delivery, time),
          CloseMode.CANCEL,
          Duration.ofSeconds(1),
          () -> RANDOM);

  @AfterEach
  void closeScheduler() throws InterruptedException {
    scheduler.close();
    delivery.shutdown();
    delivery.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A source that makes its items on demand and counts how many were read. */
  static final class CountingSource<T> implements Iterator<T> {
    private final long size;
    private final LongFunction<T> make;
    final AtomicLong read = new AtomicLong();

    CountingSource(long size, LongFunction<T> make) {
      this.size = size;
      this.make = make;
    }

    static CountingSource<String> words(long size) {
      return new CountingSource<>(size, i -> "w" + i);
    }

    @Override
    public boolean hasNext() {
      return read.get() < size;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return make.apply(read.getAndIncrement());
    }
  }

  /** Waits in real time for something another thread (result delivery) does. */
  static void await(BooleanSupplier condition) {
    io.batchwise.testing.Await.until(
        "the awaited scheduler state", java.time.Duration.ofSeconds(20), condition);
  }
}
