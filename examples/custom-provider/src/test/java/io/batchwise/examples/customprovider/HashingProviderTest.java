package io.batchwise.examples.customprovider;

import static io.batchwise.testkit.EmbeddingProviderContract.cosine;
import static io.batchwise.testkit.EmbeddingProviderContract.norm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.config.ConfigurationException;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.InputType;
import io.batchwise.testkit.FactoryContexts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the hashing model does beyond the contract: its similarities, options and discovery. */
class HashingProviderTest {
  private static final HashingProviderFactory FACTORY = new HashingProviderFactory();

  private static List<float[]> embed(Map<String, String> options, String... texts) {
    try (EmbeddingProvider p = FACTORY.create(FactoryContexts.of(FACTORY, options))) {
      return p.embed(List.of(texts), CallContext.of(InputType.DOCUMENT)).join();
    }
  }

  @Test
  @DisplayName("ServiceLoader finds it by id through META-INF/services")
  void discoveredById() {
    assertThat(FactoryRegistry.of(EmbeddingProviderFactory.class).find("hashing"))
        .isInstanceOf(HashingProviderFactory.class);
  }

  @Test
  @DisplayName("texts that share words are closer than texts that share none")
  void sharedWordsAreClose() {
    List<float[]> v =
        embed(
            Map.of(),
            "The cat sat on the warm mat by the fire",
            "A cat sleeps on a warm mat",
            "Interest rates rose and bond markets fell");
    assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(0.4);
    assertThat(cosine(v.get(0), v.get(2))).isLessThan(0.15);
  }

  @Test
  @DisplayName("stop words do not make unrelated texts similar")
  void stopWordsIgnored() {
    List<float[]> v = embed(Map.of(), "the cat and the dog", "the bank and the loan", "cat dog");
    assertThat(cosine(v.get(0), v.get(2))).isCloseTo(1.0, within(1e-6));
    assertThat(cosine(v.get(0), v.get(1))).isLessThan(0.15);
  }

  @Test
  @DisplayName(
      "character trigrams bring inflections together; the words-only model keeps them apart")
  void subwordsHelpInflections() {
    List<float[]> sub = embed(Map.of(), "indexing documents", "indexes document");
    List<float[]> words =
        embed(Map.of("model", "hashing-words-v1"), "indexing documents", "indexes document");
    assertThat(cosine(sub.get(0), sub.get(1))).isGreaterThan(0.25);
    assertThat(cosine(words.get(0), words.get(1))).isLessThan(cosine(sub.get(0), sub.get(1)) - 0.2);
  }

  @Test
  @DisplayName("every vector is unit length, even for stop words only or no words at all")
  void neverZero() {
    for (float[] v : embed(Map.of(), "the and of", "!!! ???", "🚀🔥", "x")) {
      assertThat(norm(v)).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  @DisplayName("the same text gives the same vector in separate provider instances")
  void stableAcrossInstances() {
    float[] a = embed(Map.of(), "stable hashing across instances").get(0);
    float[] b = embed(Map.of(), "stable hashing across instances").get(0);
    assertThat(a).containsExactly(b);
  }

  @Test
  @DisplayName("hashing.dimensions sets the vector length and is range-checked")
  void dimensionsOption() {
    assertThat(embed(Map.of("hashing.dimensions", "64"), "hello").get(0)).hasSize(64);
    assertThatThrownBy(() -> embed(Map.of("hashing.dimensions", "8"), "hello"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'hashing.dimensions'")
        .hasMessageContaining("[16, 65536]");
  }

  @Test
  @DisplayName("an unknown model fails naming the models it has")
  void unknownModel() {
    assertThatThrownBy(() -> embed(Map.of("model", "text-embedding-3-small"), "x"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("text-embedding-3-small")
        .hasMessageContaining("hashing-v1");
  }

  @Test
  @DisplayName("the tokenizer counts words and truncates after the n-th word")
  void tokenizer() {
    try (EmbeddingProvider p = FACTORY.create(FactoryContexts.of(FACTORY, Map.of()))) {
      assertThat(p.tokenizer().count("Hello, world! It's 2026.")).isEqualTo(5);
      assertThat(p.tokenizer().truncate("one, two; three four", 2)).isEqualTo("one, two");
    }
  }
}
