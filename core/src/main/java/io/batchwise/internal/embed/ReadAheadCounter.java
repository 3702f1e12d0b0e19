package io.batchwise.internal.embed;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Counts and limits texts in chunks on the CPU pool, ahead of the one consumer that reads them in
 * input order, so that counting the texts of the next provider calls overlaps the calls in flight
 * instead of starting only when a call slot frees.
 *
 * <p>At most {@code lookahead} texts beyond the one last read are counted in advance (the work a
 * stopped job may have done for nothing), and at most {@code parallelism} chunks are queued on the
 * pool at once: the pool is shared with the scheduler's event loop, which must not wait behind a
 * long queue of counting. A chunk the pool has not started when the consumer needs it is counted on
 * the consumer's own thread, so a busy or single-thread pool only loses the overlap, never progress;
 * while the pool finishes the chunk it needs, the consumer counts the next ones.
 * One consumer; each chunk touches only its own texts, and waiting for a chunk orders its writes
 * before the consumer's reads.
 */
final class ReadAheadCounter {
  private final List<PendingText> texts;
  private final Executor cpu;
  private final int chunkSize;
  private final FutureTask<?>[] chunks;
  private final int lookaheadChunks;
  private final int parallelism;
  /** Guarded by this: chunks below it have been handed to the pool (or claimed by the consumer). */
  private int scheduled;
  /** Guarded by this: chunks handed to the pool and not finished. */
  private int queued;
  /** Guarded by this: the chunk the consumer reads now. */
  private int reading;

  /**
   * Creates the counter; nothing is counted before the first {@link #get(int)}.
   *
   * @param texts the texts, not yet counted
   * @param limit counts and limits one text
   * @param cpu the CPU pool
   * @param chunkSize texts per counting task
   * @param lookahead how many texts beyond the one being read may be counted in advance
   * @param parallelism how many chunks may be queued on the pool at once (its thread count)
   */
  ReadAheadCounter(
      List<PendingText> texts, TokenLimitStage limit, Executor cpu, int chunkSize, int lookahead, int parallelism) {
    if (chunkSize <= 0 || lookahead < 0 || parallelism <= 0) {
      throw new IllegalArgumentException("chunkSize " + chunkSize + " and parallelism " + parallelism
          + " must be > 0, lookahead " + lookahead + " >= 0");
    }
    this.texts = texts;
    this.cpu = cpu;
    this.chunkSize = chunkSize;
    this.chunks = new FutureTask<?>[(texts.size() + chunkSize - 1) / chunkSize];
    this.lookaheadChunks = (lookahead + chunkSize - 1) / chunkSize;
    this.parallelism = parallelism;
    for (int c = 0; c < chunks.length; c++) {
      List<PendingText> chunk = texts.subList(c * chunkSize, Math.min(texts.size(), (c + 1) * chunkSize));
      chunks[c] = new FutureTask<>(() -> chunk.forEach(limit::limit), null);
    }
  }

  /**
   * The text at {@code index}, counted and limited (its tokens set, or its invalid reason).
   *
   * @param index a position in the texts
   * @return the text
   */
  PendingText get(int index) {
    int chunk = index / chunkSize;
    synchronized (this) {
      reading = Math.max(reading, chunk);
    }
    scheduleMore();
    FutureTask<?> task = chunks[chunk];
    task.run(); // does nothing when the pool started it already
    helpUntilDone(task, chunk);
    ParallelChunks.await(task); // limit() records a tokenizer's failure on the text itself
    return texts.get(index);
  }

  /**
   * While a pool thread still counts the chunk the consumer needs, the consumer counts the chunks after
   * it (within the lookahead) instead of waiting idle: the consumer is often a pool thread itself, and
   * waiting would halve the counting on a 2-core pool.
   */
  private void helpUntilDone(FutureTask<?> needed, int chunk) {
    int last;
    synchronized (this) {
      last = Math.min(chunks.length - 1, reading + lookaheadChunks);
    }
    for (int k = chunk + 1; k <= last && !needed.isDone(); k++) {
      chunks[k].run(); // claims it unless a pool thread has; a chunk runs once either way
    }
  }

  /** Hands the pool the next chunks within the lookahead, keeping at most {@code parallelism} queued. */
  private void scheduleMore() {
    while (true) {
      FutureTask<?> next;
      synchronized (this) {
        scheduled = Math.max(scheduled, reading + 1); // the consumer counts its own chunk if need be
        int last = Math.min(chunks.length - 1, reading + lookaheadChunks);
        if (queued >= parallelism || scheduled > last) {
          return;
        }
        next = chunks[scheduled++];
        queued++;
      }
      try {
        cpu.execute(() -> {
          try {
            next.run();
          } finally {
            synchronized (this) {
              queued--;
            }
            scheduleMore();
          }
        });
      } catch (RejectedExecutionException e) {
        synchronized (this) {
          queued--; // the pool is shutting down: get() counts the chunk on the consumer's thread
        }
        return;
      }
    }
  }
}
