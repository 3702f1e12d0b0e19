package io.batchwise.internal.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.LimitPolicy;
import io.batchwise.testing.BoundedWordTokenizer;
import io.batchwise.testing.WhitespaceTokenizer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The per-input limit: applied through the tokenizer's fit, so a huge input costs what is kept. */
class TokenLimitStageTest {

  private static PendingText pending(String text) {
    return new PendingText(text, 0);
  }

  @Test
  @DisplayName("TRUNCATE: a 50 MB input is cut looking at no more than 4x the kept chars")
  void truncatingAHugeInputCostsWhatIsKept() {
    String huge = "word ".repeat(10 * 1024 * 1024);
    BoundedWordTokenizer tokenizer = new BoundedWordTokenizer();
    TokenLimitStage stage =
        new TokenLimitStage(tokenizer, 256, LimitPolicy.TRUNCATE, Runnable::run);
    PendingText p = pending(huge);
    stage.limit(p);
    assertThat(p.invalidReason()).isNull();
    assertThat(p.truncated()).isTrue();
    assertThat(p.tokens()).isEqualTo(256);
    assertThat(p.sent()).isEqualTo("word ".repeat(256).strip());
    assertThat(tokenizer.charsSeen.get()).isLessThanOrEqualTo(4L * p.sent().length());
  }

  @Test
  @DisplayName(
      "FAIL: a count that stopped at the limit is reported as 'more than N tokens', never as a number")
  void failReportsAnUnfinishedCountHonestly() {
    BoundedWordTokenizer tokenizer = new BoundedWordTokenizer();
    TokenLimitStage stage = new TokenLimitStage(tokenizer, 16, LimitPolicy.FAIL, Runnable::run);
    PendingText p = pending("word ".repeat(1_000_000));
    stage.limit(p);
    assertThat(p.invalidReason())
        .isEqualTo(
            "has more than 16 tokens; the limit is 16 tokens per input"
                + " (limit-policy FAIL; set limit-policy=truncate to cut it instead)");
    assertThat(tokenizer.charsSeen.get()).isLessThan(100);
  }

  @Test
  @DisplayName("FAIL: a tokenizer that counted the whole input reports its count")
  void failReportsAFinishedCount() {
    TokenLimitStage stage =
        new TokenLimitStage(new WhitespaceTokenizer(), 16, LimitPolicy.FAIL, Runnable::run);
    PendingText p = pending("word ".repeat(20));
    stage.limit(p);
    assertThat(p.invalidReason()).startsWith("has 20 tokens; the limit is 16 tokens per input");
  }

  @Test
  @DisplayName("an input within the limit is sent whole with its count")
  void anInputThatFitsIsSentWhole() {
    String text = "word ".repeat(16);
    TokenLimitStage stage =
        new TokenLimitStage(new BoundedWordTokenizer(), 16, LimitPolicy.FAIL, Runnable::run);
    PendingText p = pending(text);
    stage.limit(p);
    assertThat(p.invalidReason()).isNull();
    assertThat(p.truncated()).isFalse();
    assertThat(p.sent()).isSameAs(text);
    assertThat(p.tokens()).isEqualTo(16);
  }

  @Test
  @DisplayName("the scheduler's token counter reads a counted text's fit, not counting it again")
  void aCountedTextIsNotCountedAgain() {
    BoundedWordTokenizer tokenizer = new BoundedWordTokenizer();
    TokenLimitStage stage = new TokenLimitStage(tokenizer, 16, LimitPolicy.TRUNCATE, Runnable::run);
    PendingText counted = pending("three short words");
    assertThat(stage.apply(List.of(counted)).join()).containsExactly(counted);
    long seen = tokenizer.charsSeen.get();

    assertThat(stage.tokensToSend(counted)).isEqualTo(3);
    assertThat(tokenizer.charsSeen.get()).isEqualTo(seen);

    PendingText uncounted = pending("two words");
    assertThat(stage.tokensToSend(uncounted)).isEqualTo(2);
    assertThat(stage.tokensToSend(uncounted)).isEqualTo(2);
    assertThat(tokenizer.charsSeen.get()).isEqualTo(seen + "two words".length());
  }
}
