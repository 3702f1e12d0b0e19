package io.batchwise.cache.sqlite.internal;

import org.sqlite.SQLiteConfig;
import org.sqlite.date.FastDateFormat;

/**
 * sqlite-jdbc gives every connection's settings a date format ({@link
 * SQLiteConfig#DEFAULT_DATE_STRING_FORMAT}), from a cache of formats; the first one initialises the
 * JDK's calendar, time-zone and locale data, a noticeable part of a command line's start-up, on the
 * thread that opens the store. {@link #prepare()} makes it on a thread of its own while the opening
 * thread checks the native library and creates the file, and {@link #await()} waits for it before
 * the first connection, which then finds it in the driver's cache. Nothing depends on it having
 * happened: should it fail or be slow, the driver makes the format itself. Thread-safe.
 */
final class DriverDateFormat {
  /** How long the first connection waits for it: far longer than it takes, and bounded. */
  private static final long WAIT_MILLIS = 2_000;

  private static Thread making;

  private DriverDateFormat() {}

  /** Starts making the format on a daemon thread, once per JVM. */
  static synchronized void prepare() {
    if (making != null) {
      return;
    }
    making =
        new Thread(
            () -> {
              try {
                FastDateFormat.getInstance(SQLiteConfig.DEFAULT_DATE_STRING_FORMAT);
              } catch (RuntimeException e) {
                // the driver makes it itself, and reports what fails there
              }
            },
            "batchwise-sqlite-date-format");
    making.setDaemon(true);
    making.start();
  }

  /** Waits (bounded) for the format {@link #prepare()} started; returns at once if none was. */
  static void await() {
    Thread t;
    synchronized (DriverDateFormat.class) {
      t = making;
    }
    if (t == null || !t.isAlive()) {
      return;
    }
    try {
      t.join(WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's own wait notices it
    }
  }
}
