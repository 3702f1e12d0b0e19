package io.batchwise.cache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The effective truncation limit is part of the key of a text that was cut, and only of such a
 * text: each run below is a new instance over one SQLite file, as separate processes would be. The
 * fake provider counts one token per word and allows 16 per input.
 */
class TruncatedKeysTest {
  private static final String TWELVE = words(12);
  private static final String TWENTY = words(20);
  private static final String SHORT = "a b c";

  @TempDir Path dir;

  private static String words(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
  }

  private EmbedResult run(
      FakeEmbeddingProvider provider, Map<String, String> options, List<String> texts) {
    Map<String, String> all = new LinkedHashMap<>(options);
    all.put("cache.path", dir.resolve("cache.db").toString());
    try (Batchwise bw =
        Batchwise.builder()
            .provider(provider)
            .cache("sqlite")
            .options(all)
            .sources(new Properties(), Map.of())
            .build()) {
      return bw.embedder().embedAll(texts);
    }
  }

  private static float[] vectorOf(String text) {
    return FakeEmbeddingProvider.vectorOf(text, 8);
  }

  @Test
  @DisplayName(
      "a text cut by a lowered limit is never served whole, nor cut at another limit; a short text is shared")
  void aLoweredLimitDoesNotPoisonLaterRuns() {
    Map<String, String> cutAt8 = Map.of("limit-policy", "truncate", "max-tokens-per-input", "8");
    FakeEmbeddingProvider first = FakeEmbeddingProvider.small();
    EmbedResult lowered = run(first, cutAt8, List.of(TWELVE, SHORT));
    assertThat(lowered.embeddings().get(0).truncated()).isTrue();
    assertThat(lowered.embeddings().get(0).vector()).containsExactly(vectorOf(words(8)));

    FakeEmbeddingProvider second = FakeEmbeddingProvider.small();
    EmbedResult whole = run(second, Map.of("limit-policy", "truncate"), List.of(TWELVE, SHORT));
    Embedding twelve = whole.embeddings().get(0);
    assertThat(twelve.cacheHit())
        .as("the cut vector must not be served to a run that sends the text whole")
        .isFalse();
    assertThat(twelve.vector()).containsExactly(vectorOf(TWELVE));
    assertThat(whole.embeddings().get(1).cacheHit())
        .as("a text sent whole shares its entry across limits")
        .isTrue();
    assertThat(second.calls).containsExactly(List.of(TWELVE));

    FakeEmbeddingProvider third = FakeEmbeddingProvider.small();
    EmbedResult again = run(third, cutAt8, List.of(TWELVE, SHORT));
    assertThat(again.embeddings()).allMatch(Embedding::cacheHit);
    assertThat(again.embeddings().get(0).vector()).containsExactly(vectorOf(words(8)));
    assertThat(again.embeddings().get(0).truncated()).isTrue();
    assertThat(third.calls).isEmpty();

    FakeEmbeddingProvider fourth = FakeEmbeddingProvider.small();
    EmbedResult cutAt10 =
        run(
            fourth,
            Map.of("limit-policy", "truncate", "max-tokens-per-input", "10"),
            List.of(TWELVE));
    assertThat(cutAt10.embeddings().get(0).cacheHit()).as("cut at another limit").isFalse();
    assertThat(cutAt10.embeddings().get(0).vector()).containsExactly(vectorOf(words(10)));

    FakeEmbeddingProvider fifth = FakeEmbeddingProvider.small();
    EmbedResult atTwelve =
        run(
            fifth,
            Map.of("limit-policy", "truncate", "max-tokens-per-input", "12"),
            List.of(TWELVE));
    assertThat(atTwelve.embeddings().get(0).cacheHit())
        .as("within a limit of 12 the text is sent whole")
        .isTrue();
    assertThat(atTwelve.embeddings().get(0).vector()).containsExactly(vectorOf(TWELVE));
  }

  @Test
  @DisplayName(
      "a text cut at the provider's own limit is found again, and never served to a run that fails it")
  void aTextCutAtTheProvidersLimitIsFoundAgainButNotServedUnderFail() {
    FakeEmbeddingProvider first = FakeEmbeddingProvider.small();
    EmbedResult cut = run(first, Map.of("limit-policy", "truncate"), List.of(TWENTY, SHORT));
    assertThat(cut.embeddings().get(0).vector()).containsExactly(vectorOf(words(16)));
    assertThat(first.calls)
        .as("the cut text and the whole one share one call")
        .containsExactly(List.of(words(16), SHORT));

    FakeEmbeddingProvider second = FakeEmbeddingProvider.small();
    EmbedResult again = run(second, Map.of("limit-policy", "truncate"), List.of(TWENTY));
    assertThat(again.embeddings().get(0).cacheHit()).isTrue();
    assertThat(again.embeddings().get(0).truncated()).isTrue();
    assertThat(again.embeddings().get(0).vector()).containsExactly(vectorOf(words(16)));
    assertThat(second.calls).isEmpty();

    FakeEmbeddingProvider third = FakeEmbeddingProvider.small();
    EmbedResult refused = run(third, Map.of("limit-policy", "fail"), List.of(TWENTY));
    assertThat(refused.embeddings().get(0).succeeded())
        .as("limit-policy fail must not be served the vector of a cut text")
        .isFalse();
    assertThat(refused.embeddings().get(0).error())
        .hasMessageContaining("has 20 tokens; the limit is 16");
    assertThat(third.calls).isEmpty();
  }
}
