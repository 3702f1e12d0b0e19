package io.batchwise.examples.customprovider.internal;

import io.batchwise.spi.Tokenizer;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hashing model's tokenizer: a token is a run of letters, combining marks and digits; its id is
 * the dimension its word feature hashes to. Hashing is one-way, so it does not implement the
 * optional {@link Tokenizer#decode}: the default refuses, naming this tokenizer. Thread-safe and
 * stateless.
 */
final class WordTokenizer implements Tokenizer {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}]+");

  private final int dimensions;

  WordTokenizer(int dimensions) {
    this.dimensions = dimensions;
  }

  @Override
  public String name() {
    return "hashing-words";
  }

  /**
   * The words of {@code text}, NFKC-normalized and lower-cased, in order.
   *
   * @param text the text
   * @return the words
   */
  List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      words.add(normalize(m.group()));
    }
    return words;
  }

  static String normalize(String word) {
    return Normalizer.normalize(word, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
  }

  @Override
  public int count(String text) {
    int n = 0;
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Override
  public int[] encode(String text) {
    List<String> words = words(text);
    int[] ids = new int[words.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] =
          FeatureHash.bucket(FeatureHash.of(FeatureHasher.wordFeature(words.get(i))), dimensions);
    }
    return ids;
  }

  /** Keeps the text up to the end of its {@code maxTokens}-th word. */
  @Override
  public String truncate(String text, int maxTokens) {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens was " + maxTokens + "; it must be at least 1");
    }
    Matcher m = WORD.matcher(text);
    int n = 0;
    while (m.find()) {
      if (++n == maxTokens) {
        int end = m.end();
        return m.find() ? text.substring(0, end) : text;
      }
    }
    return text;
  }

  @Override
  public String toString() {
    return "WordTokenizer{dimensions=" + dimensions + "}";
  }
}
