package io.batchwise.testing;

import io.batchwise.spi.TokenFit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One token per whitespace-separated word. Its fit reads words only until one past the limit; every
 * character it looks at, in any method, is counted.
 */
public final class BoundedWordTokenizer extends WhitespaceTokenizer {
  /** Every character looked at, in any method. */
  public final AtomicLong charsSeen = new AtomicLong();

  @Override
  public int count(String text) {
    charsSeen.addAndGet(text.length());
    return super.count(text);
  }

  @Override
  public int[] encode(String text) {
    charsSeen.addAndGet(text.length());
    return super.encode(text);
  }

  @Override
  public String truncate(String text, int maxTokens) {
    charsSeen.addAndGet(text.length());
    return super.truncate(text, maxTokens);
  }

  @Override
  public TokenFit fit(String text, int maxTokens) {
    int words = 0;
    int i = 0;
    int keptEnd = 0;
    while (i < text.length()) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i == text.length()) {
        break;
      }
      if (++words > maxTokens) {
        charsSeen.addAndGet(i + 1);
        return TokenFit.cutUncounted(text.substring(0, keptEnd), maxTokens, maxTokens);
      }
      while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      keptEnd = i;
    }
    charsSeen.addAndGet(text.length());
    return TokenFit.whole(text, words);
  }
}
