package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadAheadCounterTest {
  private static final int CHUNK = 4;

  /** Item i has i % 7 + 1 words. */
  private static List<String> texts(int n) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add("w ".repeat(i % 7 + 1).trim());
    }
    return texts;
  }

  /** Counts words, and how often it was asked and for which item. */
  private static final class WordCounter implements ToLongFunction<String> {
    final AtomicInteger counts = new AtomicInteger();
    final Set<String> seen = ConcurrentHashMap.newKeySet();

    @Override
    public long applyAsLong(String s) {
      counts.incrementAndGet();
      return s.split(" ").length;
    }
  }

  /** Holds what it is given; the test decides when (and whether) it runs. */
  private static final class HeldExecutor implements Executor {
    final Queue<Runnable> held = new ArrayDeque<>();
    int mostHeld;

    @Override
    public synchronized void execute(Runnable r) {
      held.add(r);
      mostHeld = Math.max(mostHeld, held.size());
    }

    synchronized Runnable poll() {
      return held.poll();
    }
  }

  /** A source that counts the items read from it. */
  private static final class CountingIterator implements Iterator<String> {
    final Iterator<String> of;
    int read;

    CountingIterator(List<String> items) {
      this.of = items.iterator();
    }

    @Override
    public boolean hasNext() {
      return of.hasNext();
    }

    @Override
    public String next() {
      read++;
      return of.next();
    }
  }

  private static void assertCountedInOrder(ReadAheadCounter<String> counter, List<String> texts) {
    for (int i = 0; i < texts.size(); i++) {
      assertThat(counter.advance()).isTrue();
      assertThat(counter.item()).isSameAs(texts.get(i));
      assertThat(counter.tokens()).as("text %d", i).isEqualTo(i % 7 + 1);
    }
    assertThat(counter.advance()).isFalse();
    assertThat(counter.sourceExhausted()).isTrue();
  }

  @Test
  @DisplayName("every item is counted exactly once and handed out in order, on a real pool")
  void countsEachItemOnce() throws Exception {
    WordCounter words = new WordCounter();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<String> texts = texts(1000);
      assertCountedInOrder(
          new ReadAheadCounter<>(texts.iterator(), words, pool, CHUNK, 64, 2), texts);
      assertThat(words.counts.get()).isEqualTo(1000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName(
      "a pool that never runs anything, rejects work (shutting down), or is absent costs the overlap, not progress")
  void progressWithoutThePool() {
    Executor[] pools = {
      new HeldExecutor(),
      r -> {
        throw new RejectedExecutionException("shut down");
      },
      null
    };
    for (Executor pool : pools) {
      List<String> texts = texts(50);
      assertCountedInOrder(
          new ReadAheadCounter<>(texts.iterator(), new WordCounter(), pool, CHUNK, 16, 2), texts);
    }
  }

  @Test
  @DisplayName("at most `parallelism` chunks wait on the pool, none beyond the lookahead")
  void boundedQueueAndLookahead() {
    HeldExecutor held = new HeldExecutor();
    WordCounter words = new WordCounter();
    CountingIterator source = new CountingIterator(texts(100));
    ReadAheadCounter<String> counter =
        new ReadAheadCounter<>(source, words, held, CHUNK, 3 * CHUNK, 2);
    counter.advance();
    assertThat(held.mostHeld).isEqualTo(2);
    // run what the pool holds, as its threads would; each finished chunk hands over the next
    Runnable r;
    while ((r = held.poll()) != null) {
      r.run();
    }
    // reading chunk 0 allows chunks 1..3 ahead and no more
    assertThat(words.counts.get()).isEqualTo(4 * CHUNK);
    assertThat(source.read).as("read from the source").isEqualTo(4 * CHUNK);
    assertThat(held.mostHeld).isEqualTo(2);
  }

  @Test
  @DisplayName("a counter's failure stays with its item; the others are counted")
  void failureStaysWithItsItem() {
    HeldExecutor never = new HeldExecutor();
    List<String> texts = texts(20);
    ToLongFunction<String> failsOverFive =
        s -> {
          int n = s.split(" ").length;
          if (n > 5) {
            throw new IllegalArgumentException("has " + n + " tokens; the limit is 5");
          }
          return n;
        };
    ReadAheadCounter<String> counter =
        new ReadAheadCounter<>(texts.iterator(), failsOverFive, never, CHUNK, 8, 2);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(counter.advance()).isTrue();
      if (i % 7 + 1 > 5) {
        assertThat(counter.failure()).as("text %d", i).hasMessageContaining("the limit is 5");
      } else {
        assertThat(counter.failure()).as("text %d", i).isNull();
        assertThat(counter.tokens()).isEqualTo(i % 7 + 1);
      }
    }
  }

  @Test
  @DisplayName(
      "a source that throws: the items read before it are handed out, then the failure is reported")
  void sourceFailure() {
    Iterator<String> failing =
        new Iterator<>() {
          int n;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public String next() {
            if (n == 6) {
              throw new IllegalStateException("disk gone");
            }
            return "w ".repeat(n++ % 7 + 1).trim();
          }
        };
    ReadAheadCounter<String> counter =
        new ReadAheadCounter<>(failing, new WordCounter(), null, CHUNK, 8, 2);
    for (int i = 0; i < 6; i++) {
      assertThat(counter.advance()).isTrue();
      assertThat(counter.tokens()).isEqualTo(i % 7 + 1);
    }
    assertThat(counter.advance()).isFalse();
    assertThat(counter.sourceFailure()).hasMessage("disk gone");
  }
}
