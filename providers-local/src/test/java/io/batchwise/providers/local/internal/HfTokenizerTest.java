package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.spi.Tokenizer;
import io.batchwise.tokenizer.TokenizerRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The WordPiece tokenizers of the named models, through the SPI. */
class HfTokenizerTest {
  private final HfTokenizer miniLm = (HfTokenizer) LocalProviders.tokenizer("all-minilm-l6-v2");

  @Test
  void countsIncludeTheSpecialTokens() {
    assertThat(miniLm.count("Hello, world")).isEqualTo(5); // [CLS] hello , world [SEP]
    assertThat(miniLm.count("")).isEqualTo(2);
    assertThat(miniLm.specialTokens()).isEqualTo(2);
    assertThat(miniLm.encode("Hello, world")).containsExactly(101, 7592, 1010, 2088, 102);
  }

  @Test
  @DisplayName(
      "count never truncates: neither at the model's 256 nor at the 128 written in tokenizer.json")
  void countsNeverTruncate() {
    String text = "word ".repeat(3_000);
    assertThat(miniLm.count(text)).isEqualTo(3_002);
    assertThat(miniLm.encode(text)).hasSize(3_002);
  }

  @Test
  void decodeSkipsSpecialTokensAndInvertsEncode() {
    assertThat(miniLm.decode(miniLm.encode("The quick brown fox.")))
        .isEqualTo("the quick brown fox.");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 10, 128, 256, 300})
  void truncateCutsToExactlyTheLimitIncludingSpecialTokens(int limit) {
    String text = String.join(" ", MixedTexts.generate(40, 1));
    String cut = miniLm.truncate(text, limit);
    assertThat(text).startsWith(cut);
    assertThat(miniLm.count(cut)).isEqualTo(limit);
    // the longest prefix that fits: one more token would not
    long[] all = miniLm.ids(text);
    assertThat(Arrays.copyOfRange(miniLm.ids(cut), 0, limit - 1))
        .containsExactly(Arrays.copyOfRange(all, 0, limit - 1));
  }

  @Test
  void truncateReturnsTheSameTextWhenItFits() {
    String text = "short enough";
    assertThat(miniLm.truncate(text, 256)).isSameAs(text);
    assertThat(miniLm.truncate(text, 4)).isSameAs(text);
    assertThat(miniLm.truncate(text, 3)).isEqualTo("short ");
  }

  @Test
  @DisplayName("a 2 MB text is cut a segment at a time, to the same prefix a whole-text cut gives")
  void truncateOfAHugeTextMatchesTheWholeTextCut() {
    String unit = String.join(" ", MixedTexts.generate(200, 9)) + " ";
    StringBuilder b = new StringBuilder();
    while (b.length() < 2_000_000) {
      b.append(unit);
    }
    String huge = b.toString();
    long before = miniLm.charsTokenized();
    String cut = miniLm.truncate(huge, 256);
    assertThat(miniLm.charsTokenized() - before).isLessThanOrEqualTo(4L * cut.length());
    assertThat(miniLm.count(cut)).isEqualTo(256);
    assertThat(cut).isEqualTo(wholeReading().truncate(huge, 256));
  }

  /**
   * all-MiniLM-L6-v2's tokenizer reading every text whole: what reading in segments must agree
   * with.
   */
  private static HfTokenizer wholeReading() {
    try (java.io.InputStream json =
        HfTokenizer.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      HfTokenizer whole = new HfTokenizer("all-minilm-l6-v2", json, false);
      assertThat(whole.boundaries())
          .isSameAs(io.batchwise.tokenizer.SegmentPlanner.Boundaries.NONE);
      return whole;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void truncateKeepsSurrogatePairsAndScriptsWhole() {
    String emoji = "🍕 ".repeat(400) + "end";
    String cut = miniLm.truncate(emoji, 100);
    assertThat(miniLm.count(cut)).isEqualTo(100);
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
    String cjk = "東京は日本の首都です。".repeat(100);
    assertThat(miniLm.count(miniLm.truncate(cjk, 50))).isEqualTo(50);
  }

  @Test
  void truncateBelowTheSpecialTokensIsRejectedNamingTheMinimum() {
    assertThatThrownBy(() -> miniLm.truncate("text", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTokens was 1")
        .hasMessageContaining("at least 2");
  }

  @Test
  @DisplayName("unpaired surrogates are read as U+FFFD ([UNK]) instead of vanishing")
  void unpairedSurrogatesAreNotDropped() {
    assertThat(HfTokenizer.wellFormed("a\uD800b")).isEqualTo("a\uFFFDb");
    assertThat(HfTokenizer.wellFormed("ok 🍕")).isSameAs("ok 🍕");
    assertThat(miniLm.count("x \uD800 y")).isEqualTo(miniLm.count("x \uFFFD y"));
  }

  @Test
  void unicodeScriptsTokenize() {
    for (String text : List.of("東京は日本の首都です。", "שלום עולם", "مرحبا", "🍕🍣", "e\u0301")) {
      assertThat(miniLm.count(text)).as(text).isGreaterThan(2);
    }
    assertThat(miniLm.encode("e\u0301")).containsExactly(miniLm.encode("é"));
  }

  @Test
  @DisplayName(
      "a count keeps its ids for the run of that very string, once; an equal copy is tokenized")
  void aCountKeepsItsIdsForThatStringOnce() {
    String text = new String("the pipeline counted this text before the provider ran it");
    String copy = new String(text);
    int count = miniLm.count(text);
    long before = miniLm.tokenizations();
    long[] ids = miniLm.idsToEmbed(text);
    assertThat(miniLm.tokenizations()).as("taken from the count, not tokenized").isEqualTo(before);
    assertThat(ids).hasSize(count).containsExactly(miniLm.ids(copy));
    before = miniLm.tokenizations();
    assertThat(miniLm.idsToEmbed(text))
        .as("taken once: the second run tokenizes")
        .containsExactly(ids);
    assertThat(miniLm.idsToEmbed(copy)).as("matched by identity").containsExactly(ids);
    assertThat(miniLm.tokenizations()).isEqualTo(before + 2);
  }

  @Test
  @DisplayName("the ids kept for runs are bounded by weight: older entries are evicted")
  void theKeptIdsAreBounded() {
    CountedIds store = new CountedIds(2_000);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String text = "text " + i;
      texts.add(text); // strongly held: only the bound can evict
      store.put(text, new long[100]);
    }
    assertThat(store.weight()).isPositive().isLessThanOrEqualTo(2_000);
    long kept = texts.stream().filter(t -> store.take(t) != null).count();
    assertThat(kept).isBetween(1L, 17L); // 116 weight units per entry
    assertThat(store.weight()).isZero();
  }

  @Test
  @DisplayName(
      "one loaded instance per model, shared by the factory, the registry and the provider")
  void oneInstancePerModel() {
    assertThat(LocalProviders.tokenizer("all-minilm-l6-v2")).isSameAs(miniLm);
    assertThat(LocalTestSupport.shared().rawTokenizer()).isSameAs(miniLm);
    TokenizerRegistry registry = TokenizerRegistry.standalone();
    Tokenizer viaServiceLoader = registry.get("all-minilm-l6-v2");
    assertThat(viaServiceLoader).isSameAs(registry.get("all-minilm-l6-v2"));
    assertThat(viaServiceLoader.count("Hello, world")).isEqualTo(5);
  }

  @Test
  void theOtherNamedModelsHaveTheirOwnTokenizers() {
    Tokenizer bge = LocalProviders.tokenizer("bge-small-en-v1.5-q");
    Tokenizer q = LocalProviders.tokenizer("all-minilm-l6-v2-q");
    assertThat(bge).isNotSameAs(miniLm);
    assertThat(bge.name()).isEqualTo("bge-small-en-v1.5-q");
    assertThat(bge.count("Hello, world")).isEqualTo(5);
    assertThat(q.encode("Hello, world")).containsExactly(miniLm.encode("Hello, world"));
  }

  @Test
  void unknownNamesAreNotSupported() {
    assertThat(LocalProviders.supportsTokenizer("cl100k_base")).isFalse();
    assertThat(LocalProviders.supportsTokenizer("all-minilm-l6-v2")).isTrue();
    assertThatThrownBy(() -> LocalProviders.tokenizer("cl100k_base"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("all-minilm-l6-v2");
  }
}
