package io.batchwise.internal.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named {@code <prefix>-<n>}, remembered so that the scheduler can wait for every
 * one of them to end when it closes.
 */
public final class NamedThreadFactory implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();

  /**
   * Creates the factory.
   *
   * @param prefix the threads' name prefix, e.g. {@code batchwise-cpu}
   */
  public NamedThreadFactory(String prefix) {
    this.prefix = prefix;
  }

  /** Creates a daemon thread named {@code <prefix>-<n>} and remembers it. */
  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
    t.setDaemon(true);
    synchronized (threads) {
      threads.removeIf(old -> !old.isAlive() && old.getState() == Thread.State.TERMINATED);
      threads.add(t);
    }
    return t;
  }

  /**
   * Whether a thread was made by this factory.
   *
   * @param t a thread
   * @return true when it is one of ours
   */
  public boolean owns(Thread t) {
    synchronized (threads) {
      return threads.contains(t);
    }
  }

  /**
   * Waits for every thread this factory made to end.
   *
   * @param deadlineNanos a {@link System#nanoTime()} reading to give up at
   * @return true when none is alive
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean joinAll(long deadlineNanos) throws InterruptedException {
    List<Thread> copy;
    synchronized (threads) {
      copy = new ArrayList<>(threads);
    }
    for (Thread t : copy) {
      if (t == Thread.currentThread()) {
        continue;
      }
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        t.join(Math.max(1, left / 1_000_000));
      }
    }
    return copy.stream().noneMatch(t -> t != Thread.currentThread() && t.isAlive());
  }
}
