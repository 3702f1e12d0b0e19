package io.batchwise.internal.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.LimitPolicy;
import io.batchwise.testing.WhitespaceTokenizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadAheadCounterTest {
  private static final int CHUNK = 4;

  private static List<PendingText> texts(int n) {
    List<PendingText> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add(new PendingText("w ".repeat(i % 7 + 1).trim(), i)); // i % 7 + 1 tokens
    }
    return texts;
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

  private static void assertCountedInOrder(ReadAheadCounter counter, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(counter.get(i).tokens).as("text %d", i).isEqualTo(i % 7 + 1);
    }
  }

  @Test
  @DisplayName("every text is counted exactly once and read in order, on a real pool")
  void countsEachTextOnce() throws Exception {
    WhitespaceTokenizer tokenizer = new WhitespaceTokenizer();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<PendingText> texts = texts(1000);
      ReadAheadCounter counter = new ReadAheadCounter(
          texts, new TokenLimitStage(tokenizer, 100, LimitPolicy.FAIL, pool), pool, CHUNK, 64, 2);
      for (int i = 0; i < texts.size(); i++) {
        PendingText p = counter.get(i);
        assertThat(p).isSameAs(texts.get(i));
        assertThat(p.tokens).as("text %d", i).isEqualTo(i % 7 + 1);
      }
      assertThat(tokenizer.counts.get()).isEqualTo(1000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("a pool that never runs anything, or rejects work (shutting down), costs the overlap, not progress")
  void progressWithoutThePool() {
    Executor[] pools = {new HeldExecutor(), r -> {
      throw new RejectedExecutionException("shut down");
    }};
    for (Executor pool : pools) {
      List<PendingText> texts = texts(50);
      ReadAheadCounter counter = new ReadAheadCounter(
          texts, new TokenLimitStage(new WhitespaceTokenizer(), 100, LimitPolicy.FAIL, pool), pool, CHUNK, 16, 2);
      assertCountedInOrder(counter, texts.size());
    }
  }

  @Test
  @DisplayName("at most `parallelism` chunks wait on the pool, none beyond the lookahead")
  void boundedQueueAndLookahead() {
    HeldExecutor held = new HeldExecutor();
    WhitespaceTokenizer tokenizer = new WhitespaceTokenizer();
    List<PendingText> texts = texts(100);
    ReadAheadCounter counter = new ReadAheadCounter(
        texts, new TokenLimitStage(tokenizer, 100, LimitPolicy.FAIL, held), held, CHUNK, 3 * CHUNK, 2);
    counter.get(0);
    assertThat(held.mostHeld).isEqualTo(2);
    // run what the pool holds, as its threads would; each finished chunk hands over the next
    Runnable r;
    while ((r = held.poll()) != null) {
      r.run();
    }
    // reading chunk 0 allows chunks 1..3 ahead and no more
    assertThat(tokenizer.counts.get()).isEqualTo(4 * CHUNK);
    assertThat(texts.get(4 * CHUNK).tokens).as("beyond the lookahead").isEqualTo(-1);
    assertThat(held.mostHeld).isEqualTo(2);
  }

  @Test
  @DisplayName("a text over the limit gets its reason; the others are counted")
  void limitApplies() {
    HeldExecutor never = new HeldExecutor();
    List<PendingText> texts = texts(20);
    ReadAheadCounter counter = new ReadAheadCounter(
        texts, new TokenLimitStage(new WhitespaceTokenizer(), 5, LimitPolicy.FAIL, never), never, CHUNK, 8, 2);
    for (int i = 0; i < texts.size(); i++) {
      PendingText p = counter.get(i);
      if (i % 7 + 1 > 5) {
        assertThat(p.invalidReason).as("text %d", i).contains("the limit is 5");
      } else {
        assertThat(p.invalidReason).as("text %d", i).isNull();
      }
    }
  }
}
