package io.batchwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.meters.MeterNames;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** The embed pipeline end to end, driven by the in-memory test provider. */
class EmbedPipelineTest {
  private Batchwise batchwise;

  @AfterEach
  void close() {
    if (batchwise != null) {
      batchwise.close();
    }
  }

  private Embedder embedder(FakeEmbeddingProvider provider, String... options) {
    Batchwise.Builder b = Batchwise.builder().provider(provider).option("max-attempts", "3");
    for (int i = 0; i < options.length; i += 2) {
      b.option(options[i], options[i + 1]);
    }
    batchwise = b.build();
    return batchwise.embedder();
  }

  private static String words(Random r, int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "w" + r.nextInt(50))
        .collect(Collectors.joining(" "));
  }

  @Test
  @DisplayName("keeps input order for 10,000 inputs with duplicates, each vector its own text's")
  void preservesOrder() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    Random r = new Random(1);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      texts.add(r.nextInt(4) == 0 && i > 0 ? texts.get(r.nextInt(i)) : words(r, 1 + r.nextInt(10)));
    }
    EmbedResult result = embedder(provider).embedAll(texts);
    assertThat(result.allSucceeded()).isTrue();
    assertThat(result.embeddings()).hasSize(10_000);
    for (int i = 0; i < texts.size(); i++) {
      Embedding e = result.embeddings().get(i);
      assertThat(e.index()).isEqualTo(i);
      assertThat(e.vector()).containsExactly(FakeEmbeddingProvider.vectorOf(texts.get(i), 8));
    }
    Set<String> distinct = new HashSet<>(texts);
    assertThat(result.usage().inputs()).isEqualTo(10_000);
    assertThat(result.usage().uniqueInputs()).isEqualTo(distinct.size());
  }

  @RepeatedTest(20)
  @DisplayName("never sends a call over the provider's input or token limits")
  void respectsProviderLimits(RepetitionInfo rep) {
    Random r = new Random(rep.getCurrentRepetition());
    int maxInputs = 1 + r.nextInt(20);
    int perInput = 1 + r.nextInt(20);
    int perCall = perInput + r.nextInt(100);
    FakeEmbeddingProvider provider =
        new FakeEmbeddingProvider(
            new ModelInfo("m", 4, true, maxInputs, perInput, perCall, ModelInfo.NO_LIMIT),
            BatchStrategy.SINGLE_CALL,
            LimitPolicy.TRUNCATE);
    List<String> texts =
        IntStream.range(0, r.nextInt(500))
            .mapToObj(i -> words(r, 1 + r.nextInt(30)) + " #" + i)
            .toList();
    EmbedResult result = embedder(provider).embedAll(texts);
    assertThat(result.allSucceeded()).isTrue();
    for (List<String> call : provider.calls) {
      assertThat(call.size()).isLessThanOrEqualTo(maxInputs);
      int tokens = 0;
      for (String t : call) {
        int n = provider.tokenizer().count(t);
        assertThat(n).isLessThanOrEqualTo(perInput);
        tokens += n;
      }
      assertThat(tokens).isLessThanOrEqualTo(perCall);
    }
  }

  @Test
  @DisplayName(
      "invalid inputs spread over many validation chunks each fail at their own index; the rest keep their order")
  void invalidInputsAcrossChunks() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    List<String> texts = new LinkedList<>(); // not random access: the pipeline snapshots it
    for (int i = 0; i < 9_000; i++) {
      String text =
          switch (i % 1000) {
            case 0 -> i == 0 ? "first" : null;
            case 500 -> "   ";
            case 999 -> "broken \uD800 surrogate";
            default -> "text " + (i % 3000); // duplicates across chunks too
          };
      texts.add(text);
    }
    EmbedResult result = embedder(provider).embedAll(texts);
    assertThat(result.failures())
        .extracting(Embedding::index)
        .allSatisfy(i -> assertThat(i % 1000).isIn(0L, 500L, 999L));
    assertThat(result.failures()).hasSize(8 + 9 + 9);
    assertThat(result.embeddings().get(4000).error()).hasMessage("input 4000 is null");
    assertThat(result.embeddings().get(4500).error()).hasMessage("input 4500 is whitespace only");
    assertThat(result.embeddings().get(4999).error().getMessage())
        .startsWith("input 4999 has an unpaired surrogate at char 7");
    for (int i = 0; i < texts.size(); i++) {
      Embedding e = result.embeddings().get(i);
      assertThat(e.index()).isEqualTo(i);
      if (e.succeeded()) {
        assertThat(e.vector()).containsExactly(FakeEmbeddingProvider.vectorOf(texts.get(i), 8));
      }
    }
    assertThat(result.usage().uniqueInputs())
        .isEqualTo(1 + 3000 - 9); // "first" and the valid residues
  }

  @Test
  @DisplayName(
      "embeds running at once share the instance's concurrency: four parallel embedAllAsync at concurrency 2 never have more than 2 provider calls in flight")
  void concurrencyHeldPerInstance() {
    FakeEmbeddingProvider provider =
        new FakeEmbeddingProvider(
                new ModelInfo("fake-model", 8, true, 1, 16, 16, ModelInfo.NO_LIMIT),
                BatchStrategy.SINGLE_CALL,
                LimitPolicy.FAIL)
            .holdEachCall();
    Embedder embedder = embedder(provider, "concurrency", "2");
    List<CompletableFuture<EmbedResult>> results = new ArrayList<>();
    List<List<String>> inputs = new ArrayList<>();
    for (int e = 0; e < 4; e++) {
      String embed = "embed " + e;
      inputs.add(IntStream.range(0, 6).mapToObj(i -> embed + " text " + i).toList());
      results.add(embedder.embedAllAsync(inputs.get(e)));
    }
    // answer as calls arrive; the provider counts the calls it is working on at every arrival
    io.batchwise.testing.Await.until(
        "every embed done",
        java.time.Duration.ofSeconds(30),
        () -> {
          provider.answerOldest();
          return results.stream().allMatch(CompletableFuture::isDone);
        });
    assertThat(provider.maxInFlight()).as("most provider calls in flight at once").isEqualTo(2);
    assertThat(provider.calls).hasSize(24);
    for (int e = 0; e < 4; e++) {
      EmbedResult result = results.get(e).join();
      for (int i = 0; i < 6; i++) {
        assertThat(result.embeddings().get(i).vector())
            .containsExactly(FakeEmbeddingProvider.vectorOf(inputs.get(e).get(i), 8));
      }
    }
  }

  @Test
  @DisplayName(
      "a provider that reports its answers arrived frees the call's slot: at concurrency 1 a second call starts before the first completes")
  void answeredCallsFreeTheirSlots() {
    FakeEmbeddingProvider provider =
        FakeEmbeddingProvider.small().answerEarlyAndHold(); // 16 inputs per call
    List<String> texts = IntStream.range(0, 48).mapToObj(i -> "text " + i).toList();
    CompletableFuture<EmbedResult> pending =
        embedder(provider, "concurrency", "1").embedAllAsync(texts);

    io.batchwise.testing.Await.until(
        "two calls started", java.time.Duration.ofSeconds(10), () -> provider.calls.size() == 2);
    assertThat(pending).as("no answer has been decoded yet").isNotDone();
    assertThat(provider.calls)
        .as("one slot and one released slot: the third call waits")
        .hasSize(2);
    provider.releaseAnswers();

    EmbedResult result = pending.join();
    assertThat(result.allSucceeded()).isTrue();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(result.embeddings().get(i).vector())
          .containsExactly(FakeEmbeddingProvider.vectorOf(texts.get(i), 8));
    }
    assertThat(provider.calls).hasSize(3);
  }

  @Test
  @DisplayName("sends each distinct text to the provider exactly once")
  void dedupes() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      texts.add("text " + (i % 37));
    }
    EmbedResult result = embedder(provider).embedAll(texts);
    List<String> sent = provider.calls.stream().flatMap(List::stream).toList();
    assertThat(sent).hasSize(37).doesNotHaveDuplicates();
    assertThat(result.embeddings().get(37).vector()).isSameAs(result.embeddings().get(0).vector());
  }

  @Test
  @DisplayName("a failing call fails only its own inputs, each naming its index")
  void isolatesFailedCalls() {
    FakeEmbeddingProvider provider =
        FakeEmbeddingProvider.small().failCallsContaining(t -> t.equals("poison"));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      texts.add(i == 40 ? "poison" : "fine text " + i);
    }
    EmbedResult result = embedder(provider).embedAll(texts);
    List<Embedding> failures = result.failures();
    assertThat(failures).isNotEmpty().hasSizeLessThanOrEqualTo(16); // one call's worth at most
    assertThat(failures).anySatisfy(f -> assertThat(f.index()).isEqualTo(40));
    for (Embedding f : failures) {
      assertThat(f.error())
          .isInstanceOf(EmbedInputFailedException.class)
          .hasMessageStartingWith("input " + f.index() + ":")
          .hasMessageContaining("rejected");
    }
    assertThat(result.embeddings().stream().filter(Embedding::succeeded))
        .hasSize(100 - failures.size());
    assertThat(result.usage().failed()).isEqualTo(failures.size());
    assertThatThrownBy(result::vectors)
        .isInstanceOf(EmbedFailedException.class)
        .hasMessageContaining(failures.size() + " of 100 inputs failed")
        .hasMessageContaining("40")
        .satisfies(e -> assertThat(((EmbedFailedException) e).failures()).isEqualTo(failures));
  }

  @Test
  @DisplayName("retries a retryable failure in the scheduler and reports the retry in the usage")
  void retriesTransientFailures() {
    FakeEmbeddingProvider provider =
        FakeEmbeddingProvider.small().failTransiently(t -> t.equals("flaky"), 2);
    EmbedResult result = embedder(provider).embedAll(List.of("a", "flaky", "b"));
    assertThat(result.allSucceeded()).isTrue();
    assertThat(result.usage().retries()).isEqualTo(2);
    assertThat(result.usage().providerCalls()).isEqualTo(3);
  }

  @Test
  @DisplayName(
      "limit policy FAIL fails an over-long input alone, naming its index, tokens and the limit")
  void limitPolicyFail() {
    FakeEmbeddingProvider provider =
        FakeEmbeddingProvider.small(); // 16 tokens per input, FAIL by default
    String longText = "word ".repeat(20).strip();
    EmbedResult result =
        embedder(provider).embedAll(List.of("short", longText, "also short", longText));
    assertThat(result.embeddings().get(0).succeeded()).isTrue();
    assertThat(result.embeddings().get(1).error())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "input 1 has 20 tokens; the limit is 16 tokens per input (limit-policy FAIL; set limit-policy=truncate to cut it instead)");
    assertThat(result.embeddings().get(3).error()).hasMessageStartingWith("input 3 has 20 tokens");
    assertThat(result.embeddings().get(2).succeeded()).isTrue();
  }

  @Test
  @DisplayName(
      "limit policy TRUNCATE cuts with the provider's tokenizer and reports every truncation")
  void limitPolicyTruncate() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    String longText =
        IntStream.range(0, 20).mapToObj(i -> "t" + i).collect(Collectors.joining(" "));
    EmbedResult result =
        embedder(provider, "limit-policy", "truncate").embedAll(List.of(longText, "ok"));
    Embedding e = result.embeddings().get(0);
    assertThat(e.truncated()).isTrue();
    assertThat(e.tokens()).isEqualTo(16);
    String expectedSent =
        IntStream.range(0, 16).mapToObj(i -> "t" + i).collect(Collectors.joining(" "));
    assertThat(e.vector()).containsExactly(FakeEmbeddingProvider.vectorOf(expectedSent, 8));
    assertThat(result.embeddings().get(1).truncated()).isFalse();
    assertThat(result.usage().truncated()).isEqualTo(1);
    assertThat(batchwise.meterRegistry().get(MeterNames.EMBED_TRUNCATIONS).counter().count())
        .isEqualTo(1);
  }

  @Test
  @DisplayName("bad inputs each get a clear, indexed failure and nothing else is lost")
  void badInputs() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    List<String> texts = new ArrayList<>();
    texts.add("good"); // 0
    texts.add(null); // 1
    texts.add(""); // 2
    texts.add(" \t\n "); // 3
    texts.add("bad \uD800 surrogate"); // 4
    texts.add("x".repeat(5 * 1024 * 1024)); // 5: a 5 MB string
    texts.add("also good"); // 6
    EmbedResult result = embedder(provider).embedAll(texts);
    List<Embedding> e = result.embeddings();
    assertThat(e).hasSize(7);
    assertThat(e.get(0).succeeded()).isTrue();
    assertThat(e.get(6).succeeded()).isTrue();
    assertThat(e.get(1).error())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("input 1 is null");
    assertThat(e.get(2).error()).hasMessage("input 2 is empty");
    assertThat(e.get(3).error()).hasMessage("input 3 is whitespace only");
    assertThat(e.get(4).error())
        .hasMessageContaining("input 4 has an unpaired surrogate at char 4");
    assertThat(e.get(5).error())
        .hasMessage("input 5 has 5242880 chars; the limit is 1048576 (option max-input-chars)");
    assertThat(result.usage().failed()).isEqualTo(5);
    assertThat(provider.calls.stream().flatMap(List::stream))
        .containsExactlyInAnyOrder("good", "also good");
  }

  @Test
  @DisplayName("a null list is refused at once")
  void nullList() {
    Embedder embedder = embedder(FakeEmbeddingProvider.small());
    assertThatThrownBy(() -> embedder.embedAll(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("texts must not be null");
  }

  @Test
  @DisplayName("an empty list gives an empty result without calling the provider")
  void emptyList() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    EmbedResult result = embedder(provider).embedAll(List.of());
    assertThat(result.embeddings()).isEmpty();
    assertThat(provider.calls).isEmpty();
  }

  @Test
  @DisplayName("answers repeated texts from the cache without calling the provider again")
  void usesTheCache() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    MapCache cache = new MapCache();
    batchwise = Batchwise.builder().provider(provider).cache(cache).build();
    List<String> texts = IntStream.range(0, 50).mapToObj(i -> "cached " + i).toList();
    EmbedResult first = batchwise.embedder().embedAll(texts);
    int callsAfterFirst = provider.calls.size();
    EmbedResult second = batchwise.embedder().embedAll(texts);
    assertThat(first.usage().cacheHits()).isZero();
    assertThat(second.usage().cacheHits()).isEqualTo(50);
    assertThat(batchwise.meterRegistry().get(MeterNames.EMBED_CACHE_HITS).counter().count())
        .isEqualTo(50);
    assertThat(second.usage().providerCalls()).isZero();
    assertThat(provider.calls).hasSize(callsAfterFirst);
    assertThat(second.embeddings().get(7).cacheHit()).isTrue();
    assertThat(second.embeddings().get(7).vector())
        .containsExactly(first.embeddings().get(7).vector());
  }

  @Test
  @DisplayName(
      "the provider is told calls are coming before the misses are counted, and never by a run the cache answers")
  void preparesTheProviderBeforeCountingMisses() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    MapCache cache = new MapCache();
    batchwise = Batchwise.builder().provider(provider).cache(cache).build();
    List<String> texts = IntStream.range(0, 20).mapToObj(i -> "prepared " + i).toList();
    assertThat(batchwise.embedder().embedAll(texts).allSucceeded()).isTrue();
    List<String> events = List.copyOf(provider.events);
    assertThat(events).contains("prepare", "count", "call");
    assertThat(events.get(0)).as("the first thing asked of the provider").isEqualTo("prepare");

    provider.events.clear();
    assertThat(batchwise.embedder().embedAll(texts).usage().cacheHits()).isEqualTo(20);
    assertThat(provider.events).as("a run answered from the cache").isEmpty();
  }

  @Test
  @DisplayName("a provider whose prepare() throws still embeds")
  void aThrowingPrepareIsIgnored() {
    FakeEmbeddingProvider fake = FakeEmbeddingProvider.small().throwOnPrepare();
    batchwise = Batchwise.builder().provider(fake).build();
    assertThat(batchwise.embedder().embedAll(List.of("a", "b")).allSucceeded()).isTrue();
    assertThat(fake.events).as("prepare() was asked, and threw").contains("prepare");
    assertThat(fake.calls).isNotEmpty();
  }

  @Test
  @DisplayName("a cache that throws is treated as empty: the embed still succeeds")
  void brokenCacheIsHarmless() {
    MapCache cache = new MapCache();
    cache.broken = true;
    batchwise = Batchwise.builder().provider(FakeEmbeddingProvider.small()).cache(cache).build();
    assertThat(batchwise.embedder().embedAll(List.of("a", "b")).allSucceeded()).isTrue();
  }

  @Test
  @DisplayName(
      "packs length-sorted micro-batches for PARALLEL_GATHER and gathers them back in order")
  void parallelGather() {
    FakeEmbeddingProvider provider =
        new FakeEmbeddingProvider(
            new ModelInfo("local-like", 8, true, 8, 64, ModelInfo.NO_LIMIT, 128),
            BatchStrategy.PARALLEL_GATHER,
            LimitPolicy.TRUNCATE);
    Random r = new Random(3);
    List<String> texts =
        IntStream.range(0, 1000).mapToObj(i -> words(r, 1 + r.nextInt(60)) + " n" + i).toList();
    EmbedResult result = embedder(provider).embedAll(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(result.embeddings().get(i).vector())
          .containsExactly(FakeEmbeddingProvider.vectorOf(texts.get(i), 8));
    }
    for (List<String> call : provider.calls) {
      int longest = call.stream().mapToInt(t -> provider.tokenizer().count(t)).max().orElse(0);
      assertThat((long) longest * call.size()).isLessThanOrEqualTo(128);
    }
  }

  @Test
  @DisplayName("embedStream yields every input in order with its global index, a window at a time")
  void streams() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    Embedder embedder = embedder(provider, "stream-window", "1000");
    List<Embedding> out =
        embedder.embedStream(IntStream.range(0, 5500).mapToObj(i -> "s" + i).iterator()).toList();
    assertThat(out).hasSize(5500);
    for (int i = 0; i < out.size(); i++) {
      assertThat(out.get(i).index()).isEqualTo(i);
      assertThat(out.get(i).vector()).containsExactly(FakeEmbeddingProvider.vectorOf("s" + i, 8));
    }
  }

  @Test
  @DisplayName("records inputs, calls, vectors and latency to the shared registry")
  void recordsMetrics() {
    Embedder embedder = embedder(FakeEmbeddingProvider.small());
    embedder.embedAll(List.of("a", "b", "a"));
    var meters = batchwise.meterRegistry();
    assertThat(meters.get(MeterNames.EMBED_INPUTS).counter().count()).isEqualTo(3);
    assertThat(meters.get(MeterNames.EMBED_UNIQUE_INPUTS).counter().count()).isEqualTo(2);
    assertThat(meters.get(MeterNames.EMBED_CALLS).counter().count()).isEqualTo(1);
    assertThat(meters.get(MeterNames.EMBED_VECTORS).counter().count()).isEqualTo(2);
    assertThat(meters.get(MeterNames.EMBED_CACHE_HITS).counter().count()).isZero();
    assertThat(
            meters
                .get(MeterNames.EMBED_CALL_LATENCY)
                .tag(MeterNames.TAG_OUTCOME, "success")
                .timer()
                .count())
        .isEqualTo(1);
  }

  /** A map-backed cache, optionally broken. */
  static final class MapCache implements EmbeddingCache {
    final Map<CacheKey, float[]> map = new ConcurrentHashMap<>();
    volatile boolean broken;

    @Override
    public Map<CacheKey, float[]> getAll(Collection<CacheKey> keys) {
      if (broken) {
        throw new IllegalStateException("backend down");
      }
      Map<CacheKey, float[]> out = new HashMap<>();
      for (CacheKey k : keys) {
        float[] v = map.get(k);
        if (v != null) {
          out.put(k, v);
        }
      }
      return out;
    }

    @Override
    public void putAll(Map<CacheKey, float[]> entries) {
      if (broken) {
        throw new IllegalStateException("backend down");
      }
      entries.forEach((k, v) -> map.put(k, v.clone()));
    }

    @Override
    public void invalidate(CacheKey key) {
      map.remove(key);
    }

    @Override
    public void invalidateNamespace(String namespace) {
      map.keySet().removeIf(k -> k.namespace().equals(namespace));
    }

    @Override
    public void clear() {
      map.clear();
    }
  }
}
