package io.batchwise.providers.local.internal;

import static io.batchwise.providers.local.internal.LocalTestSupport.cosine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.InputType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The provider against a second, independent implementation of the same models: LangChain4j's
 * in-process ONNX embedding code (its own tokenizer set-up, session, pooling and normalization;
 * test scope only). Unit norm and paraphrase order would pass a wrong pooling; agreement at cosine
 * 0.9999 would not.
 */
class ReferenceAgreementTest {
  private static final double FOUR_NINES = 0.9999;

  @Test
  @DisplayName(
      "all-MiniLM-L6-v2: every fixture under 256 word pieces matches LangChain4j at cosine >= 0.9999")
  void miniLmMatchesTheReferenceOnEveryFixture() {
    LocalEmbeddingProvider provider = LocalTestSupport.shared();
    List<String> fixtures = LocalTestSupport.fixtures();
    assertThat(fixtures).hasSizeGreaterThanOrEqualTo(50);
    EmbeddingModel reference = Reference.of("all-minilm-l6-v2", PoolingMode.MEAN);
    List<float[]> ours = provider.embed(fixtures, CallContext.of(InputType.DOCUMENT)).join();
    int over128 = 0;
    for (int i = 0; i < fixtures.size(); i++) {
      String text = fixtures.get(i);
      int tokens = provider.tokenizer().count(text);
      assertThat(tokens).as("fixture %d is under 256 word pieces", i).isLessThan(256);
      over128 += tokens > 128 ? 1 : 0;
      float[] theirs = reference.embed(text).content().vector();
      assertThat(cosine(ours.get(i), theirs))
          .as("fixture %d (%d tokens): %s", i, tokens, text)
          .isGreaterThanOrEqualTo(FOUR_NINES);
    }
    assertThat(over128).as("fixtures between 128 and 256 tokens").isGreaterThanOrEqualTo(5);
  }

  @Test
  @DisplayName(
      "all-MiniLM-L6-v2: LangChain4j's bundled model, unchanged, agrees on fixtures of at most 128 tokens")
  void miniLmMatchesTheUnchangedBundledReferenceWithinItsOwn128TokenCap() {
    LocalEmbeddingProvider provider = LocalTestSupport.shared();
    EmbeddingModel bundled = new AllMiniLmL6V2EmbeddingModel();
    List<String> shortOnes =
        LocalTestSupport.fixtures().stream()
            .filter(t -> provider.tokenizer().count(t) <= 128)
            .limit(24) // a spot check: the full agreement is the test above
            .toList();
    assertThat(shortOnes).hasSize(24);
    List<float[]> ours = provider.embed(shortOnes, CallContext.of(InputType.DOCUMENT)).join();
    for (int i = 0; i < shortOnes.size(); i++) {
      assertThat(cosine(ours.get(i), bundled.embed(shortOnes.get(i)).content().vector()))
          .as("fixture: %s", shortOnes.get(i))
          .isGreaterThanOrEqualTo(FOUR_NINES);
    }
  }

  @Test
  @DisplayName("all-MiniLM-L6-v2-q and bge-small-en-v1.5-q (CLS pooling) match the reference too")
  void quantizedModelsMatchTheReference() {
    List<String> some = LocalTestSupport.fixtures().subList(0, 20);
    check("all-minilm-l6-v2-q", PoolingMode.MEAN, some);
    check("bge-small-en-v1.5-q", PoolingMode.CLS, some);
  }

  private static void check(String model, PoolingMode pooling, List<String> texts) {
    try (LocalEmbeddingProvider provider = LocalTestSupport.create(Map.of("local.model", model))) {
      EmbeddingModel reference = Reference.of(model, pooling);
      // an int8 model takes one input per call (its vectors would depend on their batch neighbours)
      List<float[]> ours =
          texts.stream()
              .map(
                  t -> provider.embed(List.of(t), CallContext.of(InputType.DOCUMENT)).join().get(0))
              .toList();
      for (int i = 0; i < texts.size(); i++) {
        assertThat(cosine(ours.get(i), reference.embed(texts.get(i)).content().vector()))
            .as("%s, fixture: %s", model, texts.get(i))
            .isGreaterThanOrEqualTo(FOUR_NINES);
      }
    }
  }
}
