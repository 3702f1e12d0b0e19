package io.batchwise.internal.wiring;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code batchwise-<pool>-<n>}, so a thread dump says whose they are. */
public final class NamedThreadFactory implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger next = new AtomicInteger(1);

  /**
   * Creates the factory.
   *
   * @param pool the pool's name, e.g. {@code cpu}
   */
  public NamedThreadFactory(String pool) {
    this.prefix = "batchwise-" + pool + "-";
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, prefix + next.getAndIncrement());
    t.setDaemon(true);
    return t;
  }
}
