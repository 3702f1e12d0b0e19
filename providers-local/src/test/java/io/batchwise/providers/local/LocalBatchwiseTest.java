package io.batchwise.providers.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.InputType;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.TokenizerFactory;
import io.batchwise.testkit.EmbeddingProviderContract;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The local provider through the public entry point: {@code Batchwise.builder().provider("local")}.
 */
class LocalBatchwiseTest {
  private static Batchwise batchwise;

  @BeforeAll
  static void open() {
    batchwise = builder().build();
  }

  @AfterAll
  static void close() {
    batchwise.close();
  }

  /**
   * A builder that reads no system property or environment variable of the machine, with a call
   * timeout no busy machine reaches: a local call also waits for a free model session, and a
   * timed-out call would be run again.
   */
  private static Batchwise.Builder builder() {
    return Batchwise.builder()
        .provider("local")
        .option("call-timeout", "10m")
        .sources(new Properties(), Map.of());
  }

  @Test
  void serviceLoaderFindsTheFactories() {
    assertThat(FactoryRegistry.of(EmbeddingProviderFactory.class).find("local"))
        .isInstanceOf(LocalProviderFactory.class);
    assertThat(FactoryRegistry.of(TokenizerFactory.class).find("local"))
        .isInstanceOf(LocalTokenizerFactory.class);
    assertThat(new LocalProviderFactory().models())
        .containsExactly("all-minilm-l6-v2", "all-minilm-l6-v2-q", "bge-small-en-v1.5-q");
    assertThat(new LocalProviderFactory().options())
        .extracting(o -> o.key())
        .contains("local.model", "local.pooling", "local.token-budget", "local.concurrent-runs");
  }

  @Test
  @DisplayName(
      "embedAll: one result per input in order; a blank input fails alone; a huge one is truncated and reported")
  void embedAllReportsEveryInput() {
    String huge = "token ".repeat(1_000);
    List<String> inputs = List.of("first text", " ", huge, "first text", "last text");
    EmbedResult result = batchwise.embedder().embedAll(inputs);

    assertThat(result.embeddings())
        .hasSize(5)
        .extracting(Embedding::index)
        .containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(result.embeddings().get(1).succeeded()).isFalse();
    assertThat(result.embeddings().get(1).error()).hasMessageContaining("input 1");
    Embedding truncated = result.embeddings().get(2);
    assertThat(truncated.succeeded()).isTrue();
    assertThat(truncated.truncated()).isTrue();
    assertThat(truncated.tokens()).isEqualTo(256);
    assertThat(result.usage().truncated()).isEqualTo(1);
    assertThat(result.usage().failed()).isEqualTo(1);
    assertThat(result.embeddings().get(3).vector())
        .containsExactly(result.embeddings().get(0).vector());
    assertThat(EmbeddingProviderContract.norm(result.embeddings().get(4).vector()))
        .isCloseTo(1.0, within(1e-5));
    // the same vector the provider gives directly
    float[] direct =
        batchwise
            .provider()
            .embed(List.of("last text"), CallContext.of(InputType.DOCUMENT))
            .join()
            .get(0);
    assertThat(EmbeddingProviderContract.cosine(direct, result.embeddings().get(4).vector()))
        .isGreaterThan(1 - 1e-5);
  }

  @Test
  void theFailPolicyFailsOnlyTheOverlongInputNamingTheLimit() {
    try (Batchwise strict = builder().limitPolicy(LimitPolicy.FAIL).build()) {
      EmbedResult result =
          strict.embedder().embedAll(List.of("fine", "word ".repeat(300), "also fine"));
      assertThat(result.embeddings().get(0).succeeded()).isTrue();
      assertThat(result.embeddings().get(2).succeeded()).isTrue();
      assertThat(result.embeddings().get(1).error())
          .hasMessageContaining("input 1")
          .hasMessageContaining("256");
    }
  }

  @Test
  @DisplayName("1,000 distinct mixed-length inputs come back in input order")
  void aThousandMixedInputsInOrder() {
    List<String> inputs = mixed(1_000, 21);
    List<float[]> vectors = batchwise.embedder().embedAll(inputs).vectors();
    assertThat(vectors).hasSize(1_000);
    Random random = new Random(4);
    for (int k = 0; k < 25; k++) {
      int i = random.nextInt(inputs.size());
      float[] alone =
          batchwise
              .provider()
              .embed(List.of(inputs.get(i)), CallContext.of(InputType.DOCUMENT))
              .join()
              .get(0);
      assertThat(EmbeddingProviderContract.cosine(alone, vectors.get(i)))
          .as("input %d", i)
          .isGreaterThan(1 - 1e-5);
    }
  }

  @Test
  void theCoreModelOptionChoosesANamedModel() {
    try (Batchwise q = builder().model("all-minilm-l6-v2-q").build()) {
      assertThat(q.embedder().modelInfo().modelId()).isEqualTo("all-minilm-l6-v2-q");
      assertThat(q.embedder().embed("quantized")).hasSize(384);
    }
  }

  @Test
  @DisplayName(
      "embedStream: 5,000 texts through the real model, in order, reading the source a window at a time")
  void streamsFiveThousandTextsLazilyInOrder() {
    int n = 5_000;
    int window = 500;
    AtomicInteger read = new AtomicInteger();
    List<String> texts = mixedShort(n, 8);
    Iterator<String> source =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return read.get() < n;
          }

          @Override
          public String next() {
            return texts.get(read.getAndIncrement());
          }
        };
    try (Batchwise streaming = builder().option("stream-window", String.valueOf(window)).build();
        Stream<Embedding> stream = streaming.embedder().embedStream(source)) {
      Iterator<Embedding> results = stream.iterator();
      long expected = 0;
      int readWhenFirstArrived = -1;
      List<Integer> samples = List.of(0, 1, 777, 2_500, 4_999);
      List<float[]> sampled = new ArrayList<>();
      while (results.hasNext()) {
        Embedding e = results.next();
        if (readWhenFirstArrived < 0) {
          readWhenFirstArrived = read.get();
        }
        assertThat(e.index()).isEqualTo(expected);
        assertThat(e.succeeded()).as("input %d", e.index()).isTrue();
        if (samples.contains((int) e.index())) {
          sampled.add(e.vector());
        }
        expected++;
      }
      assertThat(expected).isEqualTo(n);
      assertThat(readWhenFirstArrived)
          .as("inputs read before the first result")
          .isLessThanOrEqualTo(2 * window);
      for (int s = 0; s < samples.size(); s++) {
        float[] alone =
            streaming
                .provider()
                .embed(List.of(texts.get(samples.get(s))), CallContext.of(InputType.DOCUMENT))
                .join()
                .get(0);
        assertThat(EmbeddingProviderContract.cosine(alone, sampled.get(s))).isGreaterThan(1 - 1e-5);
      }
    }
  }

  private static final String[] WORDS =
      "alpha beta gamma delta river stone cloud market engine garden signal vector token batch light sound"
          .split(" ");

  /** Distinct texts of 1 to ~200 words, most short. */
  private static List<String> mixed(int n, long seed) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int words = random.nextDouble() < 0.94 ? 1 + random.nextInt(12) : 30 + random.nextInt(150);
      StringBuilder b = new StringBuilder("item ").append(i);
      for (int w = 0; w < words; w++) {
        b.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
      }
      texts.add(b.toString());
    }
    return texts;
  }

  /** Distinct short texts (3 to 8 words): enough to stream 5,000 through the real model quickly. */
  private static List<String> mixedShort(int n, long seed) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder("line ").append(i);
      for (int w = 1 + random.nextInt(6); w > 0; w--) {
        b.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
      }
      texts.add(b.toString());
    }
    return texts;
  }
}
