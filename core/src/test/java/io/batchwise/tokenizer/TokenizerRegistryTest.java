package io.batchwise.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.meters.MeterNames;
import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import io.batchwise.testing.BoundedWordTokenizer;
import io.batchwise.testing.WhitespaceTokenizer;
import io.batchwise.testing.WhitespaceTokenizerFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenizerRegistryTest {
  private final ExecutorService cpu =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "test-cpu"));
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @AfterEach
  void stop() {
    cpu.shutdownNow();
  }

  @Test
  @DisplayName("loads each tokenizer once and hands out the same instance")
  void oneInstancePerName() {
    TokenizerRegistry registry = new TokenizerRegistry(1000, cpu, meters);
    int before = WhitespaceTokenizerFactory.CREATED.get();
    Tokenizer a = registry.get("whitespace");
    Tokenizer b = registry.get("whitespace");
    assertThat(a).isSameAs(b);
    assertThat(WhitespaceTokenizerFactory.CREATED.get() - before).isEqualTo(1);
  }

  @Test
  @DisplayName("answers repeated counts from the cache and records hits and misses")
  void countsAreCached() {
    WhitespaceTokenizer raw = new WhitespaceTokenizer();
    TokenizerRegistry registry = new TokenizerRegistry(List.of(), 1000, cpu, meters);
    Tokenizer cached = registry.register(raw);
    for (int i = 0; i < 10; i++) {
      assertThat(cached.count("three little words")).isEqualTo(3);
    }
    // cached at first sight if that count was slow (a cold JIT), else when the text came back
    int counted = raw.counts.get();
    assertThat(counted).isBetween(1, 2);
    assertThat(meters.get(MeterNames.TOKENS_COUNT_CACHE_HITS).functionCounter().count())
        .isEqualTo(10.0 - counted);
    assertThat(meters.get(MeterNames.TOKENS_COUNT_CACHE_MISSES).functionCounter().count())
        .isEqualTo((double) counted);
  }

  @Test
  @DisplayName(
      "a cached text is answered from the cache among thousands never cached, and every lookup the"
          + " never-cached filter answers counts as a miss")
  void neverCachedFilterHidesNoCachedText() {
    WhitespaceTokenizer raw = new WhitespaceTokenizer();
    // every count is dear, so cached at once; the cache holds all of them
    var cached = new TokenizerRegistry.CountCachingTokenizer(raw, 100_000, meters, 0);
    for (int i = 0; i < 500; i++) {
      assertThat(cached.count("kept text " + i)).isEqualTo(3);
    }
    int fresh = 20_000;
    for (int i = 0; i < fresh; i++) {
      assertThat(cached.fit("fresh text number " + i, 8).tokens()).isEqualTo(4);
    }
    long countedBefore = raw.counts.get();
    for (int i = 0; i < 500; i++) {
      assertThat(cached.count("kept text " + i)).isEqualTo(3);
    }
    assertThat(raw.counts.get()).as("no cached text was counted again").isEqualTo(countedBefore);
    assertThat(meters.get(MeterNames.TOKENS_COUNT_CACHE_HITS).functionCounter().count())
        .isEqualTo(500.0);
    assertThat(meters.get(MeterNames.TOKENS_COUNT_CACHE_MISSES).functionCounter().count())
        .as("every first sighting is a miss, answered by the filter or the cache")
        .isEqualTo(500.0 + fresh);
  }

  @Test
  @DisplayName(
      "fit passes to the tokenizer's own, so a huge input costs what is kept, not a whole count")
  void fitReachesTheTokenizersOwnFit() {
    BoundedWordTokenizer raw = new BoundedWordTokenizer();
    Tokenizer cached = new TokenizerRegistry(List.of(), 1000, cpu, meters).register(raw);
    String huge = "word ".repeat(1_000_000);
    TokenFit fit = cached.fit(huge, 8);
    assertThat(fit).isEqualTo(TokenFit.cutUncounted("word ".repeat(8).strip(), 8, 8));
    assertThat(raw.charsSeen.get()).isLessThan(100);
  }

  @Test
  @DisplayName(
      "fit answers a text whose count is cached and within the limit without tokenizing it")
  void fitUsesACachedCount() {
    WhitespaceTokenizer raw = new WhitespaceTokenizer();
    var cached =
        new TokenizerRegistry.CountCachingTokenizer(raw, 1000, meters, 0); // every count is dear
    assertThat(cached.fit("three little words", 8))
        .isEqualTo(TokenFit.whole("three little words", 3));
    assertThat(raw.counts.get()).isEqualTo(1);
    assertThat(cached.count("three little words")).isEqualTo(3);
    assertThat(cached.fit("three little words", 3))
        .isEqualTo(TokenFit.whole("three little words", 3));
    assertThat(raw.counts.get()).as("the fit's count was cached").isEqualTo(1);
    assertThat(cached.fit("three little words", 2).text()).isEqualTo("three little");
  }

  @Test
  @DisplayName("a cheap count is cached when its text comes back, not at first sight")
  void cheapCountsAreCachedOnTheSecondSighting() {
    WhitespaceTokenizer raw = new WhitespaceTokenizer();
    var cached = new TokenizerRegistry.CountCachingTokenizer(raw, 1000, meters, Long.MAX_VALUE);
    for (int i = 0; i < 500; i++) {
      assertThat(cached.count("fresh text number " + i)).isEqualTo(4);
    }
    assertThat(cached.cachedCounts()).as("texts seen once are not cached").isZero();
    for (int i = 0; i < 500; i++) {
      assertThat(cached.count("fresh text number " + i)).isEqualTo(4);
    }
    assertThat(raw.counts.get()).isEqualTo(1000);
    // 4,096 slots for 500 texts: a few push each other out of the table of texts seen once
    assertThat(cached.cachedCounts()).isGreaterThan(400);
    int before = raw.counts.get();
    for (int i = 0; i < 500; i++) {
      assertThat(cached.count("fresh text number " + i)).isEqualTo(4);
    }
    assertThat(raw.counts.get() - before).isLessThan(100);
  }

  @Test
  @DisplayName(
      "the count cache is made by the first count worth caching: until then (a run answered from"
          + " the embedding cache counts nothing) there is none, and its meters read zero")
  void theCountCacheIsMadeOnFirstUse() {
    WhitespaceTokenizer raw = new WhitespaceTokenizer();
    var cached = new TokenizerRegistry.CountCachingTokenizer(raw, 1000, meters, Long.MAX_VALUE);
    assertThat(cached.cacheMade()).isFalse();
    assertThat(meters.get(MeterNames.TOKENS_COUNT_CACHE_HITS).functionCounter().count()).isZero();
    assertThat(cached.count("seen once")).isEqualTo(2);
    assertThat(cached.fit("also seen once", 8).tokens()).isEqualTo(3);
    assertThat(cached.cacheMade()).as("cheap texts seen once are not cached").isFalse();
    assertThat(meters.get(MeterNames.TOKENS_COUNT_CACHE_MISSES).functionCounter().count())
        .isEqualTo(2.0);
    assertThat(cached.count("seen once")).isEqualTo(2);
    assertThat(cached.cacheMade()).isTrue();
    assertThat(cached.count("seen once")).isEqualTo(2);
    assertThat(raw.counts.get()).as("the third count came from the cache").isEqualTo(3);
    assertThat(meters.get(MeterNames.TOKENS_COUNT_CACHE_HITS).functionCounter().count())
        .isEqualTo(1.0);
  }

  @Test
  @DisplayName("a dear count is cached at first sight")
  void dearCountsAreCachedAtOnce() {
    WhitespaceTokenizer raw = new WhitespaceTokenizer();
    var cached = new TokenizerRegistry.CountCachingTokenizer(raw, 1000, meters, 0);
    for (int i = 0; i < 10; i++) {
      assertThat(cached.count("three little words")).isEqualTo(3);
    }
    assertThat(raw.counts.get()).isEqualTo(1);
    assertThat(cached.cachedCounts()).isEqualTo(1);
  }

  @Test
  @DisplayName("counts asynchronously on the CPU pool, not on the caller's thread")
  void countAsyncRunsOnCpuPool() throws Exception {
    TokenizerRegistry registry = new TokenizerRegistry(List.of(), 0, cpu, meters);
    AtomicReference<String> thread = new AtomicReference<>();
    Tokenizer spy =
        new WhitespaceTokenizer() {
          @Override
          public int count(String text) {
            thread.set(Thread.currentThread().getName());
            return super.count(text);
          }
        };
    assertThat(registry.countAsync(spy, "a b").get()).isEqualTo(2);
    assertThat(thread.get()).isEqualTo("test-cpu");
    assertThat(registry.countAllAsync(spy, List.of("a", "a b c")).get()).containsExactly(1, 3);
  }

  @Test
  @DisplayName("an unknown name lists what is available and which artifact to add")
  void unknownName() {
    TokenizerRegistry registry = new TokenizerRegistry(1000, cpu, meters);
    assertThatThrownBy(() -> registry.get("cl100k_base"))
        .hasMessageContaining("cl100k_base")
        .hasMessageContaining("whitespace")
        .hasMessageContaining("batchwise-providers-openai");
  }
}
