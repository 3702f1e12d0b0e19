package io.batchwise.internal.scheduler;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.ToLongFunction;

/**
 * Reads a job's source a little ahead of its packer and counts the items' tokens in chunks on the
 * CPU pool, so that counting the items of the next batches overlaps the batches in flight instead
 * of starting only when a slot frees ({@link
 * io.batchwise.scheduler.PackingPolicy#countingAhead()}).
 *
 * <p>At most {@code lookahead} items beyond the one last handed out are read and counted in advance
 * (the work a stopped job may have done for nothing), and at most {@code parallelism} chunks are
 * queued on the pool at once: the pool is shared with the scheduler's drain loops, which must not
 * wait behind a long queue of counting. A chunk the pool has not started when the packer needs it
 * is counted on the packer's own thread, so a busy, single-thread or absent pool only loses the
 * overlap, never progress; while the pool finishes the chunk it needs, the packer counts the next
 * ones. The source is read only by the packer's thread; each chunk touches only its own items, and
 * waiting for a chunk orders its writes before the packer's reads. A counter's failure stays with
 * its item.
 *
 * @param <I> the item type
 */
final class ReadAheadCounter<I> {
  /** Items per counting task: big enough to amortize a task, small enough to use every core. */
  static final int CHUNK = 256;

  /** A run of items read together and counted by one task. */
  private final class Chunk {
    final List<I> items;
    final long[] tokens;

    /**
     * Why the counter failed on an item, by position; null until one fails (most chunks have none).
     */
    RuntimeException[] failures;

    final FutureTask<?> task;
    boolean handedOut;

    Chunk(List<I> items) {
      this.items = items;
      this.tokens = new long[items.size()];
      this.task = new FutureTask<>(this::count, null);
    }

    private void count() {
      for (int i = 0; i < tokens.length; i++) {
        try {
          tokens[i] = counter.applyAsLong(items.get(i));
        } catch (RuntimeException e) {
          if (failures == null) {
            failures = new RuntimeException[tokens.length];
          }
          failures[i] = e;
        }
      }
    }
  }

  private final Iterator<? extends I> source;
  private final ToLongFunction<? super I> counter;
  private final Executor cpu;
  private final int chunkSize;
  private final long lookahead;
  private final int parallelism;

  /** Guarded by this: chunks read and not yet read through, the one being read first. */
  private final List<Chunk> window = new ArrayList<>();

  /** Guarded by this: chunks handed to the pool and not finished. */
  private int queued;

  /**
   * The chunk the packer reads now (the first of the window), null before the first and after the
   * last.
   */
  private Chunk reading;

  /** The packer's position in {@link #reading}: the next item to hand out. */
  private int position;

  /** The item handed out last, in {@link #reading}. */
  private int current;

  /** Items read from the source but not yet handed out. */
  private long buffered;

  private boolean sourceExhausted;
  private RuntimeException sourceFailure;

  /**
   * Creates the counter; nothing is read before the first {@link #advance()}.
   *
   * @param source the job's source
   * @param counter counts one item's tokens
   * @param cpu the CPU pool, or null to count on the packer's thread only
   * @param chunkSize items per counting task
   * @param lookahead how many items beyond the one handed out may be read and counted in advance
   * @param parallelism how many chunks may be queued on the pool at once (its thread count)
   */
  ReadAheadCounter(
      Iterator<? extends I> source,
      ToLongFunction<? super I> counter,
      Executor cpu,
      int chunkSize,
      long lookahead,
      int parallelism) {
    if (chunkSize <= 0 || lookahead < 0 || parallelism <= 0) {
      throw new IllegalArgumentException(
          "chunkSize "
              + chunkSize
              + " and parallelism "
              + parallelism
              + " must be > 0, lookahead "
              + lookahead
              + " >= 0");
    }
    this.source = source;
    this.counter = counter;
    this.cpu = cpu;
    this.chunkSize = chunkSize;
    this.lookahead = lookahead;
    this.parallelism = parallelism;
  }

  /**
   * Moves to the next item of the source, counted; {@link #item()}, {@link #tokens()} and {@link
   * #failure()} then describe it (no object per item: the packer reads them at once).
   *
   * @return false when the source has no more (see {@link #sourceFailure()})
   */
  boolean advance() {
    Chunk head = reading;
    if (head == null || position == head.items.size()) {
      head = nextChunk();
      if (head == null) {
        return false;
      }
    }
    current = position++;
    buffered--;
    return true;
  }

  /**
   * @return the item {@link #advance()} moved to
   */
  I item() {
    return reading.items.get(current);
  }

  /**
   * @return its tokens, when {@link #failure()} is null
   */
  long tokens() {
    return reading.tokens[current];
  }

  /**
   * @return why the counter failed on it, or null
   */
  RuntimeException failure() {
    RuntimeException[] failures = reading.failures;
    return failures == null ? null : failures[current];
  }

  /**
   * Moves on to the next chunk: reads ahead, hands the pool more chunks, and waits for this one
   * (counting it, or the chunks after it, on this thread meanwhile). Once per chunk, not per item.
   */
  private Chunk nextChunk() {
    Chunk head;
    synchronized (this) {
      if (reading != null) {
        window.remove(0);
      }
    }
    position = 0;
    readAhead();
    synchronized (this) {
      if (window.isEmpty()) {
        reading = null;
        return null;
      }
      head = window.get(0);
      head.handedOut = true; // the pool no longer takes it: the packer counts it if need be
    }
    reading = head;
    scheduleMore();
    head.task.run(); // does nothing when the pool started it already
    helpUntilDone(head);
    await(head.task);
    return head;
  }

  /**
   * @return true when the source said it has no more items
   */
  boolean sourceExhausted() {
    return sourceExhausted;
  }

  /**
   * @return the exception the source threw, or null
   */
  RuntimeException sourceFailure() {
    return sourceFailure;
  }

  /** Reads whole chunks from the source until the lookahead is covered. */
  private void readAhead() {
    while (!sourceExhausted && sourceFailure == null && buffered <= lookahead) {
      List<I> items = new ArrayList<>(chunkSize);
      try {
        while (items.size() < chunkSize) {
          if (!source.hasNext()) {
            sourceExhausted = true;
            break;
          }
          items.add(source.next());
        }
      } catch (RuntimeException e) {
        sourceFailure = e; // the items read before it are still counted and handed out
      }
      if (!items.isEmpty()) {
        buffered += items.size();
        synchronized (this) {
          window.add(new Chunk(items));
        }
      }
    }
  }

  /**
   * While a pool thread still counts the chunk the packer needs, the packer counts the chunks after
   * it instead of waiting idle: it often runs on a pool thread itself, and waiting would halve the
   * counting on a 2-core pool.
   */
  private void helpUntilDone(Chunk needed) {
    // only this thread removes chunks from the window, so position k holds the same chunk
    // throughout
    for (int k = 1; !needed.task.isDone(); k++) {
      Chunk ahead;
      synchronized (this) {
        if (k >= window.size()) {
          return;
        }
        ahead = window.get(k);
      }
      ahead.task.run(); // claims it unless a pool thread has; a chunk runs once either way
    }
  }

  /** Hands the pool the next chunks of the window, keeping at most {@code parallelism} queued. */
  private void scheduleMore() {
    if (cpu == null) {
      return;
    }
    while (true) {
      Chunk next = null;
      synchronized (this) {
        if (queued >= parallelism) {
          return;
        }
        for (Chunk c : window) {
          if (!c.handedOut) {
            next = c;
            break;
          }
        }
        if (next == null) {
          return;
        }
        next.handedOut = true;
        queued++;
      }
      FutureTask<?> task = next.task;
      try {
        cpu.execute(
            () -> {
              try {
                task.run();
              } finally {
                synchronized (this) {
                  queued--;
                }
                scheduleMore();
              }
            });
      } catch (RejectedExecutionException e) {
        synchronized (this) {
          queued--; // the pool is shutting down: advance() counts the chunk on the packer's thread
        }
        return;
      }
    }
  }

  private static void await(FutureTask<?> task) {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a counting chunk", e);
    } catch (ExecutionException e) {
      // count() keeps each item's failure with the item; anything else is a bug worth surfacing
      throw new IllegalStateException("a counting chunk failed", e.getCause());
    }
  }
}
