package io.batchwise.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.testkit.TokenizerContract;
import io.batchwise.tokenizer.TokenizerRegistry;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A tokenizer that implements only what the pipeline uses (name, count, truncate) passes the
 * tokenizer contract, and its encode and decode refuse naming the tokenizer and the method, also
 * behind the registry's count cache.
 */
class CountOnlyTokenizerTest extends TokenizerContract {

  /** Whitespace-separated words; no ids. */
  static final class CountOnly implements Tokenizer {
    @Override
    public String name() {
      return "count-only-words";
    }

    @Override
    public int count(String text) {
      String t = text.strip();
      return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    @Override
    public String truncate(String text, int maxTokens) {
      String[] words = text.strip().split("\\s+");
      return words.length <= maxTokens ? text : String.join(" ", Arrays.copyOf(words, maxTokens));
    }
  }

  @Override
  protected Tokenizer createTokenizer() {
    return new CountOnly();
  }

  @Test
  @DisplayName(
      "encode and decode are optional: their defaults throw naming the tokenizer and the method")
  void encodeAndDecodeAreOptional() {
    Tokenizer shared = TokenizerRegistry.standalone().register(new CountOnly());
    assertThatThrownBy(() -> shared.encode("two words"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("'count-only-words'")
        .hasMessageContaining("encode()");
    assertThatThrownBy(() -> shared.decode(new int[] {1}))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("'count-only-words'")
        .hasMessageContaining("decode()");
    assertThat(encodes(shared)).isFalse();
    assertThat(decodes(shared)).isFalse();
    // what the pipeline calls works without them
    assertThat(shared.fit("one two three", 2)).isEqualTo(TokenFit.cut("one two", 2, 3));
  }
}
