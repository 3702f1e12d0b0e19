package io.batchwise.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SyntheticCorpusTest {

  @Test
  @DisplayName("the same seed gives the same texts; another seed different ones")
  void deterministic() {
    assertThat(SyntheticCorpus.mixed(200, 1)).isEqualTo(SyntheticCorpus.mixed(200, 1));
    assertThat(SyntheticCorpus.mixed(200, 1)).isNotEqualTo(SyntheticCorpus.mixed(200, 2));
  }

  @Test
  @DisplayName("mixed texts range from a few words to RAG-sized chunks")
  void mixedLengths() {
    List<String> texts = SyntheticCorpus.mixed(300, 3);
    int shortest = texts.stream().mapToInt(t -> t.split(" ").length).min().orElseThrow();
    int longest = texts.stream().mapToInt(t -> t.split(" ").length).max().orElseThrow();
    assertThat(shortest).isBetween(3, 12);
    assertThat(longest).isBetween(100, 140);
    assertThat(texts.stream().filter(t -> t.length() > 600).count()).isGreaterThan(50);
  }

  @Test
  @DisplayName("texts() keeps every text within the word range")
  void wordRange() {
    assertThat(SyntheticCorpus.texts(100, 5, 15, 9))
        .allSatisfy(t -> assertThat(t.split(" ").length).isBetween(5, 15));
    assertThatThrownBy(() -> SyntheticCorpus.texts(1, 5, 4, 9))
        .hasMessageContaining("minWords <= maxWords");
  }

  @Test
  @DisplayName("withRepeats draws from the given number of distinct texts")
  void repeats() {
    List<String> texts = SyntheticCorpus.withRepeats(100, 2_000, 4);
    assertThat(texts).hasSize(2_000);
    assertThat(new HashSet<>(texts)).hasSizeBetween(90, 100);
  }
}
