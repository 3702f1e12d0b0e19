package io.batchwise.providers.local.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.batchwise.spi.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A model's own tokenizer ({@code tokenizer.json}: WordPiece, BPE or Unigram with the model's normalizer
 * and special tokens), run by the HuggingFace tokenizers library through DJL's binding.
 *
 * <p>Truncation and padding written in the {@code tokenizer.json} are switched off: counts are exact
 * whatever the length, and the provider pads each micro-batch itself. Every count includes the special
 * tokens the model adds ({@code [CLS]}, {@code [SEP]} for BERT models). Unpaired surrogates, which the
 * native library would drop without a trace, are read as U+FFFD. A count keeps the ids it produced
 * ({@link CountedIds}) for {@link #idsToEmbed}, so the text the pipeline counted is not tokenized again
 * to run it. Thread-safe: the native tokenizer is immutable once loaded.
 */
final class HfTokenizer implements Tokenizer {
  /** Texts up to this many chars are tokenized whole by {@link #truncate}; longer ones a window at a time. */
  static final int TRUNCATE_WINDOW_MIN_CHARS = 16_384;
  /** Tokens kept clear of a window's cut, where a token could differ from the whole text's. */
  private static final int WINDOW_MARGIN_TOKENS = 8;
  /** How far back from a window's end to look for whitespace to cut at. */
  private static final int WINDOW_WHITESPACE_LOOKBACK = 256;

  private final String name;
  private final HuggingFaceTokenizer tokenizer;
  private final int specialTokens;
  private final CountedIds counted = new CountedIds(CountedIds.MAX_TOKENS);
  private final LongAdder tokenizations = new LongAdder();

  /**
   * Loads a tokenizer.
   *
   * @param name the name it reports
   * @param json the {@code tokenizer.json} content; closed by the caller
   * @throws IOException when it cannot be read or parsed
   */
  HfTokenizer(String name, InputStream json) throws IOException {
    this.name = Objects.requireNonNull(name, "name");
    NativeOptOuts.apply();
    this.tokenizer =
        HuggingFaceTokenizer.newInstance(
            json, Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
    this.specialTokens = tokenizer.encode("").getIds().length;
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * The special tokens added to every input.
   *
   * @return e.g. 2 for {@code [CLS]} and {@code [SEP]}
   */
  int specialTokens() {
    return specialTokens;
  }

  /** Counts, and keeps the ids for {@link #idsToEmbed} of this very string. */
  @Override
  public int count(String text) {
    long[] ids = ids(text);
    counted.put(text, ids);
    return ids.length;
  }

  @Override
  public int[] encode(String text) {
    long[] ids = ids(text);
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  /**
   * The model's input ids for {@code text}, special tokens included, nothing cut.
   *
   * @param text the text
   * @return the ids
   */
  long[] ids(String text) {
    Objects.requireNonNull(text, "text");
    return encoding(wellFormed(text)).getIds();
  }

  /**
   * The ids to run {@code text} with: the ones a {@link #count} of this very string kept, taken so that
   * they are used once, or else tokenized now. Either way the same ids as {@link #ids}.
   *
   * @param text the text
   * @return the ids; not to be changed
   */
  long[] idsToEmbed(String text) {
    long[] kept = counted.take(text);
    return kept != null ? kept : ids(text);
  }

  /**
   * How many times this tokenizer has run the native tokenizer, for tests.
   *
   * @return the number of native encodings so far
   */
  long tokenizations() {
    return tokenizations.sum();
  }

  private Encoding encoding(String wellFormedText) {
    tokenizations.increment();
    return tokenizer.encode(wellFormedText);
  }

  @Override
  public String decode(int[] tokens) {
    long[] ids = new long[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      ids[i] = tokens[i];
    }
    return tokenizer.decode(ids, true);
  }

  /**
   * Cuts {@code text} at a token boundary so that it has at most {@code maxTokens} tokens, special
   * tokens included. A long text is tokenized a window at a time, so cutting a 1 MB text to 256 tokens
   * costs about as much as tokenizing a few KB.
   *
   * @throws IllegalArgumentException when {@code maxTokens} cannot even hold the special tokens
   */
  @Override
  public String truncate(String text, int maxTokens) {
    Objects.requireNonNull(text, "text");
    int keep = maxTokens - specialTokens;
    if (keep < 0) {
      throw new IllegalArgumentException(
          "maxTokens was " + maxTokens + "; " + name + " adds " + specialTokens
              + " special tokens to every input, so it must be at least " + specialTokens);
    }
    String clean = wellFormed(text);
    int window = clean.length() <= TRUNCATE_WINDOW_MIN_CHARS
        ? clean.length()
        : Math.max(TRUNCATE_WINDOW_MIN_CHARS, maxTokens * 32);
    while (true) {
      int end = windowEnd(clean, window);
      Encoding encoding = encoding(end == clean.length() ? clean : clean.substring(0, end));
      int content = encoding.getIds().length - specialTokens;
      boolean whole = end == clean.length();
      if (whole && content <= keep) {
        return text;
      }
      if (whole || content >= keep + WINDOW_MARGIN_TOKENS) {
        return cutBefore(text, clean, encoding, keep, maxTokens);
      }
      window = (int) Math.min(clean.length(), 2L * window);
    }
  }

  /** Ends a window at whitespace, so that no word is split; the whole text when the window covers it. */
  private static int windowEnd(String text, int window) {
    if (window >= text.length()) {
      return text.length();
    }
    for (int i = window; i > window - WINDOW_WHITESPACE_LOOKBACK && i > 0; i--) {
      if (Character.isWhitespace(text.charAt(i - 1))) {
        return i;
      }
    }
    // no whitespace near the window's end: never split a surrogate pair, and accept that the margin
    // then guards the boundary
    return Character.isHighSurrogate(text.charAt(window - 1)) ? window - 1 : window;
  }

  /**
   * The longest prefix of {@code text} that ends before the {@code keep}-th content token (0-based) and
   * fits in {@code maxTokens}. The prefix ends at a token boundary, so it re-tokenizes to the same tokens
   * in every tokenizer we know; should one merge differently across the cut, one more token is dropped
   * until it fits.
   */
  private String cutBefore(String text, String clean, Encoding encoding, int keep, int maxTokens) {
    for (int k = keep; ; k--) {
      String prefix = text.substring(0, clean.offsetByCodePoints(0, startOfContentToken(encoding, k)));
      if (k == 0 || count(prefix) <= maxTokens) {
        return prefix;
      }
    }
  }

  /** The code-point offset where content token {@code k} starts, or where the last one ends. */
  private static int startOfContentToken(Encoding encoding, int k) {
    long[] special = encoding.getSpecialTokenMask();
    CharSpan[] spans = encoding.getCharTokenSpans();
    int seen = 0;
    int lastEnd = 0;
    for (int i = 0; i < spans.length; i++) {
      if (special[i] != 0 || spans[i] == null) {
        continue;
      }
      if (seen == k) {
        return spans[i].getStart();
      }
      lastEnd = spans[i].getEnd();
      seen++;
    }
    return lastEnd;
  }

  /** Replaces unpaired surrogates with U+FFFD, one char for one char, so offsets stay aligned. */
  static String wellFormed(String text) {
    int n = text.length();
    char[] chars = null;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        if (chars == null) {
          chars = text.toCharArray();
        }
        chars[i] = '\uFFFD';
      }
    }
    return chars == null ? text : new String(chars);
  }

  @Override
  public String toString() {
    return "HfTokenizer[" + name + "]";
  }
}
