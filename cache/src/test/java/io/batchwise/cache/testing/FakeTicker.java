package io.batchwise.cache.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to, in nanoseconds and (for SQLite expiry) milliseconds. */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long read() {
    return nanos.get();
  }

  /**
   * @return the time in milliseconds
   */
  public long millis() {
    return nanos.get() / 1_000_000;
  }

  /**
   * Moves the clock forward.
   *
   * @param d how far
   */
  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
