package io.batchwise.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.testing.HardTexts;
import io.batchwise.tokenizer.SegmentPlanner.Boundaries;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SegmentPlannerTest {
  private static final Boundaries AT_SPACES = (text, i) -> text.charAt(i) == ' ';

  @Test
  @DisplayName(
      "segments follow one another, end only at boundaries (never inside a surrogate pair) and cover the text")
  void segmentsEndAtBoundaries() {
    String text = new HardTexts(3).text(50_000);
    SegmentPlanner planner =
        new SegmentPlanner(
            text, (t, i) -> AT_SPACES.splitsBefore(t, i) || Character.isSurrogate(t.charAt(i)));
    int from = 0;
    int segments = 0;
    while (from < text.length()) {
      int to = planner.next(200);
      assertThat(to).isGreaterThan(from);
      if (to < text.length()) {
        assertThat(text.charAt(to) == ' ' || Character.isHighSurrogate(text.charAt(to)))
            .as("end %d", to)
            .isTrue();
      }
      planner.tokenized(100);
      from = to;
      segments++;
    }
    assertThat(segments).isGreaterThan(10);
    assertThat(planner.next(200)).isEqualTo(text.length());
  }

  @Test
  @DisplayName("a text with no boundary, or one short for the tokens wanted, is one segment")
  void unsplittableOrShortTextIsOneSegment() {
    String text = "word ".repeat(10_000);
    assertThat(new SegmentPlanner(text, Boundaries.NONE).next(10)).isEqualTo(text.length());
    assertThat(new SegmentPlanner("a few words", AT_SPACES).next(10)).isEqualTo(11);
  }

  @Test
  @DisplayName("the first segment follows the kind of text, not a fixed chars-per-token ratio")
  void theEstimateWeighsCharactersByKind() {
    String english = "the quick brown fox jumps over the lazy dog ".repeat(200);
    String cjk = "東京は日本の首都です。 ".repeat(200);
    int englishEnd = new SegmentPlanner(english, AT_SPACES).next(200);
    int cjkEnd = new SegmentPlanner(cjk, AT_SPACES).next(200);
    // 200 tokens: about 200 words of English, about 200 characters of CJK
    assertThat(englishEnd).isBetween(800, 1_400);
    assertThat(cjkEnd).isBetween(200, 320);
  }

  @Test
  @DisplayName(
      "segments are shortened when the text proved denser than estimated, never lengthened")
  void theTokensSeenOnlyShortenSegments() {
    String text = "word ".repeat(10_000);
    SegmentPlanner dense = new SegmentPlanner(text, AT_SPACES);
    SegmentPlanner sparse = new SegmentPlanner(text, AT_SPACES);
    int first = dense.next(100);
    assertThat(sparse.next(100)).isEqualTo(first);
    dense.tokenized(400); // four times the estimate
    sparse.tokenized(10);
    int denseNext = dense.next(100) - first;
    int sparseNext = sparse.next(100) - first;
    assertThat(denseNext).isLessThan(first / 2);
    assertThat(sparseNext).isBetween(first - 10, first + 10);
  }

  @Test
  void theFirstShareMustBeAFraction() {
    assertThatThrownBy(() -> new SegmentPlanner("x", Boundaries.NONE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("firstShare was 0.0");
    assertThatThrownBy(() -> new SegmentPlanner("x", Boundaries.NONE, 1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
