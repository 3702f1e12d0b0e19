package io.batchwise.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of concurrency permits that several jobs share, so that together they run at most {@link
 * #permits()} calls at once. A job given one ({@link JobOptions.Builder#permits}) takes a permit
 * before it starts a batch, keeps it through the batch's retries, and gives it back when the batch
 * finishes or releases its slot ({@link Batch#releaseSlot()}: the service has answered). A {@code
 * Batchwise} instance holds one for its provider's calls ({@code Batchwise.callLimits()}), shared
 * by every {@code embedAll}, {@code embedStream} window and command-line chunk.
 *
 * <p>Nobody blocks: a scheduler asks with {@link #tryAcquire(Runnable)}, and when no permit is free
 * its wake-up runs once the next one is released; every waiter is woken then and asks again, so a
 * waiter that no longer needs a permit cannot strand the others. Thread-safe.
 *
 * <pre>{@code
 * CallPermits permits = new CallPermits(4);
 * JobOptions<Doc> options = JobOptions.<Doc>builder().permits(permits).build(); // 4 at once over every job using it
 * }</pre>
 */
public final class CallPermits {
  private static final Logger LOG = LoggerFactory.getLogger(CallPermits.class);

  private final int permits;
  private final Set<Runnable> waiting = new LinkedHashSet<>();
  private int inUse;

  /**
   * Creates a pool.
   *
   * @param permits the most calls at once, at least 1
   * @throws IllegalArgumentException when below 1
   */
  public CallPermits(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits was " + permits + "; it must be at least 1");
    }
    this.permits = permits;
  }

  /**
   * The size of the pool.
   *
   * @return the most permits taken at once
   */
  public int permits() {
    return permits;
  }

  /**
   * The permits taken now.
   *
   * @return between 0 and {@link #permits()}
   */
  public synchronized int inUse() {
    return inUse;
  }

  /**
   * Takes a permit when one is free; otherwise arranges for {@code wakeUp} to run once, on the
   * thread that next releases one (it must be quick, e.g. signal a loop). The same wake-up given
   * again while it waits is kept once.
   *
   * @param wakeUp what to run when a permit is released after a refusal
   * @return true when a permit was taken; the caller must {@link #release()} it
   */
  public boolean tryAcquire(Runnable wakeUp) {
    Objects.requireNonNull(wakeUp, "wakeUp");
    synchronized (this) {
      if (inUse < permits) {
        inUse++;
        return true;
      }
      waiting.add(wakeUp);
      return false;
    }
  }

  /**
   * Gives a permit back and wakes every waiter.
   *
   * @throws IllegalStateException when no permit is taken
   */
  public void release() {
    List<Runnable> wake;
    synchronized (this) {
      if (inUse == 0) {
        throw new IllegalStateException("release() called with no permit taken");
      }
      inUse--;
      wake = new ArrayList<>(waiting);
      waiting.clear();
    }
    for (Runnable r : wake) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("a permit waiter's wake-up threw; the others are still woken", e);
      }
    }
  }

  @Override
  public synchronized String toString() {
    return "CallPermits{" + inUse + " of " + permits + " in use, " + waiting.size() + " waiting}";
  }
}
