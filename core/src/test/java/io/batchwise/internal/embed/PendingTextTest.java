package io.batchwise.internal.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.spi.CacheKey;
import io.batchwise.spi.TokenFit;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each stage's value for a text is written once, and not read before it is. */
class PendingTextTest {

  private static final CacheStage.Miss MISS =
      new CacheStage.Miss(CacheKey.of("ns", "a text"), entries -> {});

  @Test
  @DisplayName("a second fit or rejection of a text is a bug: it throws, naming the input")
  void aTextIsCountedOnce() {
    PendingText p = new PendingText("a text", 7);
    TokenFit fit = TokenFit.whole("a text", 2);
    p.fitted(fit);

    assertThatThrownBy(() -> p.fitted(TokenFit.whole("a text", 3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the text at input 7 was counted twice");
    assertThatThrownBy(() -> p.rejected("too long", false))
        .isInstanceOf(IllegalStateException.class);
    assertThat(p.sent()).isSameAs(fit.text());
    assertThat(p.tokens()).isEqualTo(2);
    assertThat(p.invalidReason()).isNull();
  }

  @Test
  @DisplayName("the fit of a text is not read before it is counted, nor of one that cannot be sent")
  void theFitIsNotReadBeforeItIsSet() {
    PendingText p = new PendingText("a text", 3);
    assertThat(p.counted()).isFalse();
    assertThatThrownBy(p::sent)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the text at input 3 is not counted yet");
    assertThat(p.tokens()).isEqualTo(-1);
    assertThat(p.done()).isFalse();

    p.rejected("has 300 tokens; the limit is 256", true);
    assertThatThrownBy(() -> p.fitted(TokenFit.whole("a text", 2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the text at input 3 was counted twice");
    assertThatThrownBy(p::sent)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the text at input 3 cannot be sent: has 300 tokens; the limit is 256");
    assertThat(p.truncated()).isTrue();
    assertThat(p.tokens()).isEqualTo(-1);
    assertThat(p.done()).isTrue();
  }

  @Test
  @DisplayName("a second cache value of a text (hit or miss) is a bug: it throws")
  void aTextIsLookedUpOnce() {
    PendingText hit = new PendingText("a text", 0);
    hit.hit(new float[] {1f});
    assertThatThrownBy(() -> hit.missed(MISS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the text at input 0 was looked up twice");
    assertThat(hit.cacheHit()).isTrue();
    assertThat(hit.miss()).isNull();
    assertThat(hit.done()).isTrue();

    PendingText miss = new PendingText("a text", 1);
    miss.missed(MISS);
    assertThatThrownBy(() -> miss.hit(new float[] {1f})).isInstanceOf(IllegalStateException.class);
    assertThat(miss.miss()).isSameAs(MISS);
    assertThat(miss.cacheHit()).isFalse();
    assertThat(miss.done()).isFalse();
  }

  @Test
  @DisplayName("a text's first result stays: a later vector or failure does not replace it")
  void theFirstResultStays() {
    float[] vector = {1f, 2f};
    PendingText answered = new PendingText("a text", 0);
    assertThat(answered.answered(vector)).isTrue();
    assertThat(answered.failed(new CancellationException("the job timeout passed"))).isFalse();
    assertThat(answered.vector()).isSameAs(vector);
    assertThat(answered.failure()).isNull();

    CancellationException timedOut = new CancellationException("the job timeout passed");
    PendingText failed = new PendingText("a text", 0);
    assertThat(failed.failed(timedOut)).isTrue();
    assertThat(failed.answered(vector)).isFalse();
    assertThat(failed.vector()).isNull();
    assertThat(failed.failure()).isSameAs(timedOut);
  }
}
