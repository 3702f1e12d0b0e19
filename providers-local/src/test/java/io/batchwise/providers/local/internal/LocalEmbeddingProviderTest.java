package io.batchwise.providers.local.internal;

import static io.batchwise.providers.local.internal.LocalTestSupport.cosine;
import static io.batchwise.providers.local.internal.LocalTestSupport.embedOne;
import static io.batchwise.providers.local.internal.LocalTestSupport.norm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.providers.local.LocalOptions;
import io.batchwise.scheduler.Packers;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The default model through the provider: vectors, order, determinism, limits and odd inputs. */
class LocalEmbeddingProviderTest {
  private final LocalEmbeddingProvider provider = LocalTestSupport.shared();

  @Test
  void declaresTheModelItsStrategyAndTruncateAsDefaultPolicy() {
    ModelInfo info = provider.modelInfo();
    assertThat(provider.id()).isEqualTo("local");
    assertThat(info.modelId()).isEqualTo("all-minilm-l6-v2");
    assertThat(info.dimensions()).isEqualTo(384);
    assertThat(info.normalized()).isTrue();
    assertThat(info.maxTokensPerInput()).isEqualTo(256);
    assertThat(info.microBatchTokenBudget()).isEqualTo(LocalOptions.DEFAULT_TOKEN_BUDGET);
    assertThat(info.maxTokensPerCall()).isEqualTo(ModelInfo.NO_LIMIT);
    assertThat(provider.batchStrategy()).isEqualTo(BatchStrategy.PARALLEL_GATHER);
    assertThat(provider.defaultLimitPolicy()).isEqualTo(LimitPolicy.TRUNCATE);
    assertThat(provider.tokenizer().name()).isEqualTo("all-minilm-l6-v2");
  }

  @Test
  @DisplayName(
      "embedAll tokenizes each text once: the provider runs the ids the pipeline's count kept")
  void embedAllTokenizesEachTextOnce() {
    HfTokenizer raw = provider.rawTokenizer();
    List<String> texts =
        MixedTexts.generate(300, 4_242, 100).stream()
            .filter(t -> raw.ids(t).length <= 256)
            .distinct()
            .toList();
    try (LocalEmbeddingProvider fresh = LocalTestSupport.create(Map.of());
        // a call timeout no busy machine reaches (a call also waits for a free model session)
        Batchwise batchwise =
            Batchwise.builder()
                .provider(fresh)
                .option("call-timeout", "10m")
                .sources(new Properties(), Map.of())
                .build()) {
      long before = raw.tokenizations();
      EmbedResult result = batchwise.embedder().embedAll(texts);
      assertThat(raw.tokenizations() - before).as("native tokenizations").isEqualTo(texts.size());
      assertThat(result.usage().failed()).isZero();
      // the same vectors as runs of copies, which the provider tokenizes itself
      List<float[]> direct =
          fresh
              .embed(texts.stream().map(String::new).toList(), CallContext.of(InputType.DOCUMENT))
              .join();
      for (int i = 0; i < texts.size(); i++) {
        assertThat(cosine(result.embeddings().get(i).vector(), direct.get(i)))
            .as("input %d", i)
            .isGreaterThan(1 - 1e-5);
      }
    }
  }

  @Test
  @DisplayName(
      "embedAll under TRUNCATE cuts a 50 MB input reading at most 4x what it keeps, and runs exactly"
          + " its first 254 word pieces + [SEP], tokenized once")
  void aHugeInputIsCutReadingWhatItKeepsAndTokenizedOnce() throws Exception {
    HfTokenizer raw = provider.rawTokenizer();
    String unit = String.join(" ", MixedTexts.generate(120, 21)) + " ";
    StringBuilder b = new StringBuilder(50 * 1024 * 1024 + unit.length());
    while (b.length() < 50 * 1024 * 1024) {
      b.append(unit);
    }
    String huge = b.toString();
    try (LocalEmbeddingProvider fresh = LocalTestSupport.create(Map.of());
        Batchwise batchwise =
            Batchwise.builder()
                .provider(fresh)
                .option("limit-policy", "truncate")
                .option("max-input-chars", Integer.toString(64 * 1024 * 1024))
                .sources(new Properties(), Map.of())
                .build()) {
      long before = raw.charsTokenized();
      EmbedResult result = batchwise.embedder().embedAll(List.of(huge));
      long read = raw.charsTokenized() - before;

      io.batchwise.Embedding e = result.embeddings().get(0);
      assertThat(e.succeeded()).isTrue();
      assertThat(e.truncated()).isTrue();
      assertThat(e.tokens()).isEqualTo(256);
      // the cut, as the tokenizer makes it on its own: the pipeline read no more than that, and the
      // provider's run tokenized nothing (it took the ids the cut kept)
      long alone = raw.charsTokenized();
      String kept = raw.truncate(huge, 256);
      assertThat(read)
          .isEqualTo(raw.charsTokenized() - alone)
          .isLessThanOrEqualTo(4L * kept.length());
      long[] all = raw.ids(unit + unit);
      long[] expectedIds = Arrays.copyOf(all, 256);
      expectedIds[255] = 102; // [SEP], as the tokenizer's own truncation keeps it
      assertThat(raw.ids(kept)).containsExactly(expectedIds);
      float[] expected = fresh.model().embed(List.of(expectedIds))[0];
      assertThat(cosine(e.vector(), expected)).isGreaterThan(1 - 1e-6);
    }
  }

  @Test
  void everyVectorHasUnitNorm() {
    for (float[] v :
        provider.embed(LocalTestSupport.fixtures(), CallContext.of(InputType.DOCUMENT)).join()) {
      assertThat(v).hasSize(384);
      assertThat(norm(v)).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void theSameInputsGiveBitIdenticalVectors() {
    List<String> texts = LocalTestSupport.fixtures().subList(0, 24);
    List<float[]> first = provider.embed(texts, CallContext.of(InputType.DOCUMENT)).join();
    List<float[]> second = provider.embed(texts, CallContext.of(InputType.DOCUMENT)).join();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(second.get(i)).as("input %d", i).containsExactly(first.get(i));
    }
  }

  @Test
  @DisplayName("a batch gives every input the vector it gets alone, within 1e-5 cosine")
  void batchEqualsOneAtATime() {
    List<String> texts = MixedTexts.generate(40, 7);
    List<float[]> batched = provider.embed(texts, CallContext.of(InputType.DOCUMENT)).join();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(1 - cosine(batched.get(i), embedOne(provider, texts.get(i))))
          .as("input %d (%d tokens)", i, provider.tokenizer().count(texts.get(i)))
          .isLessThanOrEqualTo(1e-5);
    }
  }

  @Test
  @DisplayName(
      "1,000 mixed-length inputs in length-sorted micro-batches run at once come back in input order")
  void orderIsPreservedAcrossAThousandMixedLengthInputs() {
    // 100 distinct texts of 3 to ~250 tokens (most short, to keep the test quick), each repeated
    // and shuffled into 1,000 inputs: every output must equal the vector of the text at its index,
    // which a swap anywhere would break
    List<String> distinct = new ArrayList<>(MixedTexts.generate(95, 11, 40));
    distinct.addAll(MixedTexts.generate(5, 12).stream().map(t -> t + " " + t).toList());
    List<float[]> expected = provider.embed(distinct, CallContext.of(InputType.DOCUMENT)).join();
    List<Integer> which = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      which.add(i % distinct.size());
    }
    Collections.shuffle(which, new Random(3));
    List<String> inputs = which.stream().map(distinct::get).toList();

    // what the pipeline does: sort by length, cut by the token-position budget, run all at once,
    // gather
    int[] lengths = inputs.stream().mapToInt(t -> provider.tokenizer().count(t)).toArray();
    List<int[]> groups =
        Packers.parallelGather(
            lengths,
            Integer.MAX_VALUE,
            ModelInfo.NO_LIMIT,
            provider.modelInfo().microBatchTokenBudget());
    assertThat(groups.size()).isGreaterThan(50);
    List<CompletableFuture<List<float[]>>> calls = new ArrayList<>();
    for (int[] group : groups) {
      calls.add(
          provider.embed(
              Arrays.stream(group).mapToObj(inputs::get).toList(),
              CallContext.of(InputType.DOCUMENT)));
    }
    float[][] gathered = new float[inputs.size()][];
    for (int g = 0; g < groups.size(); g++) {
      List<float[]> vectors = calls.get(g).join();
      for (int j = 0; j < groups.get(g).length; j++) {
        gathered[groups.get(g)[j]] = vectors.get(j);
      }
    }
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(cosine(gathered[i], expected.get(which.get(i))))
          .as("input %d", i)
          .isGreaterThan(1 - 1e-5);
    }
  }

  @Test
  @DisplayName(
      "a call of more inputs than the model's inputs per call fails at once, naming the limit")
  void aCallOverTheInputLimitFails() {
    try (LocalEmbeddingProvider two =
        LocalTestSupport.create(Map.of("local.max-batch-rows", "2"))) {
      assertThat(two.embed(List.of("a", "b"), CallContext.of(InputType.DOCUMENT)).join())
          .hasSize(2);
      assertThatThrownBy(
              () -> two.embed(List.of("a", "b", "c"), CallContext.of(InputType.DOCUMENT)).join())
          .hasCauseInstanceOf(CallFailedException.class)
          .hasMessageContaining("a call of 3 inputs is over")
          .hasMessageContaining("'s 2 inputs per call");
      assertThat(two.microBatchesRun()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "one call larger than a micro-batch runs as given, one padded run, and keeps its order")
  void oneLargeCallKeepsItsOrder() {
    List<String> texts = MixedTexts.generate(60, 5, 60);
    List<float[]> whole = provider.embed(texts, CallContext.of(InputType.DOCUMENT)).join();
    assertThat(whole).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i += 5) {
      assertThat(cosine(whole.get(i), embedOne(provider, texts.get(i))))
          .as("input %d", i)
          .isGreaterThan(1 - 1e-5);
    }
  }

  @Test
  void paraphrasesScoreHigherThanUnrelatedPairs() {
    String[][] triples = {
      {
        "How do I reset my password?",
        "I forgot my password and need to change it.",
        "The weather is sunny in Madrid today."
      },
      {
        "A man is playing a guitar.",
        "Someone strums a guitar on stage.",
        "The stock market fell by three percent."
      },
      {
        "The cat is sleeping on the sofa.",
        "A kitten naps on the couch.",
        "Quarterly revenue exceeded expectations."
      },
      {
        "Where is the nearest train station?",
        "How can I get to the closest railway station?",
        "Bake the bread for forty minutes."
      },
      {
        "The vaccine reduces the risk of severe illness.",
        "Getting vaccinated lowers the chance of serious disease.",
        "He parked the car in the garage."
      },
    };
    for (String[] t : triples) {
      List<float[]> v = provider.embed(List.of(t), CallContext.of(InputType.DOCUMENT)).join();
      assertThat(cosine(v.get(0), v.get(1)))
          .as("%s ~ %s", t[0], t[1])
          .isGreaterThan(cosine(v.get(0), v.get(2)) + 0.2);
    }
  }

  @Test
  @DisplayName("CJK, emoji, right-to-left text and combining marks embed to finite unit vectors")
  void unicodeInputsEmbed() {
    List<String> texts =
        List.of(
            "東京は日本の首都です。",
            "机器学习是人工智能的一个分支。",
            "🍕🍣😍🚀",
            "שלום עולם",
            "مرحبا بالعالم",
            "Zalgo: z\u0351\u0352a\u0353l\u0354g\u0355o\u0356",
            "\u202Eright-to-left override\u202C",
            "👩‍👩‍👧‍👦 family");
    List<float[]> vectors = provider.embed(texts, CallContext.of(InputType.DOCUMENT)).join();
    for (int i = 0; i < texts.size(); i++) {
      float[] v = vectors.get(i);
      for (float x : v) {
        assertThat(Float.isFinite(x)).as("input %d", i).isTrue();
      }
      assertThat(norm(v)).as("input %d", i).isCloseTo(1.0, within(1e-5));
    }
    assertThat(cosine(vectors.get(0), vectors.get(1)))
        .isLessThan(0.999); // different scripts, different vectors
  }

  @Test
  void composedAndDecomposedAccentsGiveTheSameVector() {
    float[] composed = embedOne(provider, "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e");
    float[] decomposed = embedOne(provider, "cafe\u0301 cre\u0300me bru\u0302le\u0301e");
    assertThat(cosine(composed, decomposed)).isGreaterThan(0.9999);
  }

  @Test
  void theEmptyStringEmbedsAsTheSpecialTokensAlone() {
    assertThat(provider.rawTokenizer().ids("")).containsExactly(101, 102);
    assertThat(norm(embedOne(provider, ""))).isCloseTo(1.0, within(1e-5));
  }

  @Test
  @DisplayName("an input over 256 tokens fails its call, naming the input and the limit")
  void anInputOverTheLimitFailsTheCallNamingItsIndexAndTheLimit() {
    String huge = "word ".repeat(2_000);
    CompletableFuture<List<float[]>> call =
        provider.embed(List.of("fine", huge), CallContext.of(InputType.DOCUMENT));
    assertThatThrownBy(call::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(CallFailedException.class)
        .hasMessageContaining("input 1")
        .hasMessageContaining("2002 tokens")
        .hasMessageContaining("at most 256")
        .satisfies(e -> assertThat(((CallFailedException) e).isRetryable()).isFalse());
  }

  @Test
  @DisplayName(
      "a huge input truncated to 256 tokens embeds as sentence-transformers' first 255 tokens + [SEP]")
  void truncationMatchesSentenceTransformers() throws Exception {
    String huge = String.join(" ", MixedTexts.generate(300, 13));
    assertThat(provider.tokenizer().count(huge)).isGreaterThan(10_000);
    String cut = provider.tokenizer().truncate(huge, 256);
    assertThat(provider.tokenizer().count(cut)).isEqualTo(256);
    assertThat(huge).startsWith(cut);

    long[] all = provider.rawTokenizer().ids(huge);
    long[] expectedIds = Arrays.copyOf(all, 256);
    expectedIds[255] = 102; // [SEP], as the tokenizer's own truncation keeps it
    float[] expected = provider.model().embed(List.of(expectedIds))[0];
    assertThat(cosine(embedOne(provider, cut), expected)).isGreaterThan(1 - 1e-6);
  }

  @Test
  void aNullInputFailsTheCallNamingItsIndex() {
    assertThatThrownBy(
            () ->
                provider
                    .embed(Arrays.asList("a", "b", null), CallContext.of(InputType.DOCUMENT))
                    .join())
        .cause()
        .isInstanceOf(CallFailedException.class)
        .hasMessageContaining("input 2");
  }

  @Test
  void anEmptyCallReturnsNoVectors() {
    assertThat(provider.embed(List.of(), CallContext.of(InputType.DOCUMENT)).join()).isEmpty();
  }

  @Test
  void manyConcurrentCallersEachGetTheirOwnVectors() {
    List<String> texts = LocalTestSupport.fixtures().subList(0, 32);
    List<float[]> expected = provider.embed(texts, CallContext.of(InputType.DOCUMENT)).join();
    List<CompletableFuture<List<float[]>>> calls = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      int at = i;
      calls.add(
          CompletableFuture.supplyAsync(
              () ->
                  provider
                      .embed(List.of(texts.get(at)), CallContext.of(InputType.DOCUMENT))
                      .join()));
    }
    for (int i = 0; i < texts.size(); i++) {
      assertThat(cosine(calls.get(i).join().get(0), expected.get(i))).isGreaterThan(1 - 1e-5);
    }
  }
}
