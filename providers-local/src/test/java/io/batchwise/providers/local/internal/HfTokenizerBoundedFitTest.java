package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import io.batchwise.testkit.BoundedFitContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * all-MiniLM-L6-v2's WordPiece tokenizer reads a long text only as far as its kept tokens need; the
 * reference is the same tokenizer reading every text whole.
 */
class HfTokenizerBoundedFitTest extends BoundedFitContract {
  private static final HfTokenizer MINI_LM = (HfTokenizer) LocalProviders.tokenizer("all-minilm-l6-v2");
  private static final HfTokenizer WHOLE = load(false);

  /** all-MiniLM-L6-v2's tokenizer, reading every text whole when {@code segments} is false. */
  static HfTokenizer load(boolean segments) {
    try (InputStream json = HfTokenizer.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      return new HfTokenizer("all-minilm-l6-v2", json, segments);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Tokenizer tokenizer() {
    return MINI_LM;
  }

  @Override
  protected long charsTokenized() {
    return MINI_LM.charsTokenized();
  }

  @Override
  protected TokenFit wholeTextFit(String text, int maxTokens) {
    assertThat(WHOLE.boundaries()).isSameAs(io.batchwise.tokenizer.SegmentPlanner.Boundaries.NONE);
    return WHOLE.fit(text, maxTokens);
  }

  @Override
  protected boolean keepsTheFirstTokens(String text, String kept) {
    long[] all = WHOLE.ids(text);
    long[] cut = WHOLE.ids(kept);
    int content = cut.length - 2;
    return cut[0] == all[0] && cut[cut.length - 1] == all[all.length - 1]
        && Arrays.equals(cut, 1, 1 + content, all, 1, 1 + content);
  }
}
