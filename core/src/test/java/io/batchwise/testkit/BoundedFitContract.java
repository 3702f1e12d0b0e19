package io.batchwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import io.batchwise.testing.HardTexts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a tokenizer whose {@link Tokenizer#fit} reads only as much of a long text as its
 * kept tokens need: on 1,000 random texts of every kind ({@link HardTexts}) it keeps exactly what
 * cutting the whole text's tokens keeps (the word at the cut included), and hands its tokenizer at
 * most 4 times the characters it keeps; a 50 MB text costs no more.
 */
public abstract class BoundedFitContract {
  /** Most characters tokenized per character kept. */
  protected static final int MAX_READ_PER_KEPT = 4;

  /**
   * The tokenizer under test.
   *
   * @return the tokenizer
   */
  protected abstract Tokenizer tokenizer();

  /**
   * How many characters the tokenizer under test has tokenized so far.
   *
   * @return a running total
   */
  protected abstract long charsTokenized();

  /**
   * What cutting {@code text} to {@code maxTokens} gives when its whole tokenization is read: the
   * reference the bounded reading must agree with.
   *
   * @param text the text
   * @param maxTokens the limit
   * @return the kept text and its count
   */
  protected abstract TokenFit wholeTextFit(String text, int maxTokens);

  /**
   * Whether {@code kept}, the cut of {@code text}, tokenizes to the first tokens of {@code text}:
   * the tokens the provider will be sent.
   *
   * @param text the text
   * @param kept its cut
   * @return true when they agree
   */
  protected abstract boolean keepsTheFirstTokens(String text, String kept);

  @Test
  @DisplayName(
      "1,000 random texts: the kept tokens are the whole tokenization's, read from at most 4x the kept chars")
  void keepsWhatTheWholeTokenizationKeepsReadingABoundedPrefix() {
    Tokenizer tokenizer = tokenizer();
    HardTexts texts = new HardTexts(20_261_214);
    int cut = 0;
    for (int i = 0; i < 1_000; i++) {
      int limit = new int[] {128, 256, 512}[texts.between(0, 2)];
      // most texts are many times the limit; one in eight fits, some of those across several
      // segments
      String text =
          i % 8 == 0
              ? texts.text(texts.between(10, limit * 2))
              : texts.text(texts.between(1_500, 6_000));
      long before = charsTokenized();
      TokenFit fit = tokenizer.fit(text, limit);
      long read = charsTokenized() - before;
      TokenFit reference = wholeTextFit(text, limit);
      String what = "text " + i + " (" + text.length() + " chars, limit " + limit + ")";
      assertThat(fit.text()).as(what).isEqualTo(reference.text());
      assertThat(fit.tokens()).as(what).isEqualTo(reference.tokens());
      assertThat(fit.truncated()).as(what).isEqualTo(reference.truncated());
      if (fit.inputCounted()) {
        assertThat(fit.inputTokens()).as(what).isEqualTo(reference.inputTokens());
      } else {
        assertThat(reference.inputTokens()).as(what).isGreaterThan(limit);
      }
      assertThat(keepsTheFirstTokens(text, fit.text())).as(what).isTrue();
      assertThat(read)
          .as(what + ": chars tokenized for " + fit.text().length() + " kept")
          .isLessThanOrEqualTo((long) MAX_READ_PER_KEPT * Math.max(fit.text().length(), 1));
      cut += fit.truncated() ? 1 : 0;
    }
    assertThat(cut)
        .as("texts cut (the rest fit, some across several segments)")
        .isBetween(800, 950);
  }

  @Test
  @DisplayName("a 50 MB text is cut reading a few KB of it")
  void aFiftyMegabyteTextIsCutWithBoundedWork() {
    StringBuilder b = new StringBuilder(50 * 1024 * 1024 + 8192);
    String unit = new HardTexts(7).asciiText(4_000);
    while (b.length() < 50 * 1024 * 1024) {
      b.append(unit);
    }
    String huge = b.toString();
    long before = charsTokenized();
    TokenFit fit = tokenizer().fit(huge, 256);
    long read = charsTokenized() - before;
    assertThat(fit.truncated()).isTrue();
    assertThat(fit.inputCounted()).isFalse();
    assertThat(fit.tokens()).isBetween(250, 256);
    assertThat(read).isLessThanOrEqualTo((long) MAX_READ_PER_KEPT * fit.text().length());
    assertThat(fit.text()).isEqualTo(wholeTextFit(unit + unit, 256).text());
  }
}
