package io.batchwise.providers.local.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import io.batchwise.tokenizer.SegmentPlanner;
import io.batchwise.tokenizer.SegmentPlanner.Boundaries;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A model's own tokenizer ({@code tokenizer.json}: WordPiece, BPE or Unigram with the model's
 * normalizer and special tokens), run by the HuggingFace tokenizers library through DJL's binding.
 *
 * <p>Truncation and padding written in the {@code tokenizer.json} are switched off: counts are
 * exact whatever the length, and the provider pads each micro-batch itself. Every count includes
 * the special tokens the model adds ({@code [CLS]}, {@code [SEP]} for BERT models). Unpaired
 * surrogates, which the native library would drop without a trace, are read as U+FFFD. A count
 * keeps the ids it produced ({@link CountedIds}) for {@link #idsToEmbed}, so the text the pipeline
 * counted is not tokenized again to run it; so does {@link #fit}, for the text it returns.
 *
 * <p>{@link #fit} (and so {@link #truncate}) reads a long text in segments that end where the
 * tokenizer splits words whatever follows ({@link BertBoundaries}), until it has seen the token at
 * the cut: the cost of holding a 50 MB text to 256 tokens follows the 256 tokens. A tokenizer whose
 * splits are not known reads every text whole. Thread-safe: the native tokenizer is immutable once
 * loaded.
 */
final class HfTokenizer implements Tokenizer {
  private final String name;
  private final HuggingFaceTokenizer tokenizer;
  private final Boundaries boundaries;
  private final int specialTokens;

  /** The special tokens the template puts before and after the text's own, e.g. [CLS] and [SEP]. */
  private final long[] leadingSpecials;

  private final long[] trailingSpecials;
  private final CountedIds counted = new CountedIds(CountedIds.MAX_TOKENS);
  private final LongAdder tokenizations = new LongAdder();
  private final LongAdder charsTokenized = new LongAdder();

  /**
   * Loads a tokenizer.
   *
   * @param name the name it reports
   * @param json the {@code tokenizer.json} content; closed by the caller
   * @throws IOException when it cannot be read or parsed
   */
  HfTokenizer(String name, InputStream json) throws IOException {
    this(name, json, true);
  }

  /**
   * Loads a tokenizer, optionally never splitting a text (for tests: the whole-text reading is the
   * reference that segments must agree with).
   */
  HfTokenizer(String name, InputStream json, boolean segments) throws IOException {
    this.name = Objects.requireNonNull(name, "name");
    NativeOptOuts.apply();
    byte[] bytes = json.readAllBytes();
    this.tokenizer =
        HuggingFaceTokenizer.newInstance(
            new ByteArrayInputStream(bytes),
            Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
    this.specialTokens = tokenizer.encode("").getIds().length;
    // where the template puts its special tokens, from a one-word text: a text is read in segments
    // only when they all sit before and after the text's own tokens
    Encoding word = tokenizer.encode("a");
    long[] mask = word.getSpecialTokenMask();
    int lead = 0;
    while (lead < mask.length && mask[lead] != 0) {
      lead++;
    }
    int trail = 0;
    while (trail < mask.length - lead && mask[mask.length - 1 - trail] != 0) {
      trail++;
    }
    this.leadingSpecials = Arrays.copyOfRange(word.getIds(), 0, lead);
    this.trailingSpecials = Arrays.copyOfRange(word.getIds(), mask.length - trail, mask.length);
    boolean templateAtTheEnds = lead + trail == specialTokens && lead + trail < mask.length;
    this.boundaries =
        segments && templateAtTheEnds
            ? BertBoundaries.of(new String(bytes, StandardCharsets.UTF_8))
            : Boundaries.NONE;
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
   * The ids to run {@code text} with: the ones a {@link #count} of this very string kept, taken so
   * that they are used once, or else tokenized now. Either way the same ids as {@link #ids}.
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

  /**
   * How many chars this tokenizer has handed the native tokenizer, for tests.
   *
   * @return the chars of every native encoding so far
   */
  long charsTokenized() {
    return charsTokenized.sum();
  }

  /**
   * Where this tokenizer may read a text in parts, for tests.
   *
   * @return its boundaries
   */
  Boundaries boundaries() {
    return boundaries;
  }

  private Encoding encoding(String wellFormedText) {
    tokenizations.increment();
    charsTokenized.add(wellFormedText.length());
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
   * tokens included, reading only as much of it as {@link #fit} does.
   *
   * @throws IllegalArgumentException when {@code maxTokens} cannot even hold the special tokens
   */
  @Override
  public String truncate(String text, int maxTokens) {
    return fit(text, maxTokens).text();
  }

  /**
   * Counts a text that fits in {@code maxTokens} (special tokens included), or cuts one that does
   * not before its first token over the limit, reading it in segments until that token is seen; the
   * ids of the text returned are kept for {@link #idsToEmbed}.
   *
   * <p>Each segment ends where the tokenizer splits words whatever follows, so its tokens are the
   * whole text's, and so is the token at the cut, however long its word: the cut is exactly where
   * truncating the whole text's tokens would put it. The part of the cut's segment before the cut
   * is tokenized once more from the last boundary before it, as the text to send: a model whose
   * tokens merge across the cut would tokenize the kept text differently, and then one more token
   * is dropped until the kept text fits (WordPiece never needs that).
   *
   * @throws IllegalArgumentException when {@code maxTokens} cannot even hold the special tokens
   */
  @Override
  public TokenFit fit(String text, int maxTokens) {
    Objects.requireNonNull(text, "text");
    int keep = maxTokens - specialTokens;
    if (keep < 0) {
      throw new IllegalArgumentException(
          "maxTokens was "
              + maxTokens
              + "; "
              + name
              + " adds "
              + specialTokens
              + " special tokens to every input, so it must be at least "
              + specialTokens);
    }
    String clean = wellFormed(text);
    // the first segment is planned for all the tokens wanted: a text that fits is then tokenized in
    // one native call, and the ids it keeps for the run are the tokenizer's own for the whole text
    SegmentPlanner planner = new SegmentPlanner(clean, boundaries);
    IdList content = new IdList();
    int from = 0;
    while (true) {
      int to = planner.next(keep + 1 - content.size());
      boolean whole = from == 0 && to == clean.length();
      String segment = whole ? clean : clean.substring(from, to);
      Encoding encoding = encoding(segment);
      long[] ids = encoding.getIds();
      int segmentTokens = ids.length - specialTokens;
      if (whole && segmentTokens <= keep) {
        counted.put(text, ids);
        return TokenFit.whole(text, ids.length);
      }
      if (content.size() + segmentTokens > keep) {
        return cutIn(text, clean, from, to, encoding, content, keep, maxTokens);
      }
      content.add(ids, leadingSpecials.length, segmentTokens);
      planner.tokenized(segmentTokens);
      if (to == clean.length()) {
        long[] all = withSpecials(content);
        counted.put(text, all);
        return TokenFit.whole(text, all.length);
      }
      from = to;
    }
  }

  /**
   * The cut inside the segment {@code clean[from, to)}, whose tokens take the count over the limit:
   * before its first token over the limit, or before an earlier one should the kept text's own
   * tokens not fit.
   */
  private TokenFit cutIn(
      String text,
      String clean,
      int from,
      int to,
      Encoding encoding,
      IdList before,
      int keep,
      int maxTokens) {
    long[] ids = encoding.getIds();
    int[] starts = contentStarts(clean, from, encoding.getCharTokenSpans(), keep - before.size());
    for (int k = keep - before.size(); ; k--) {
      int cut = starts[k];
      int split = lastSplitAtOrBefore(clean, from, cut);
      // the segment's tokens before the split are the kept text's own; the rest of it is tokenized
      IdList kept = before.copy();
      int whole = 0;
      while (whole < k && starts[whole] < split) {
        whole++;
      }
      kept.add(ids, leadingSpecials.length, whole);
      if (split < cut) {
        long[] tail = encoding(clean.substring(split, cut)).getIds();
        kept.add(tail, leadingSpecials.length, tail.length - specialTokens);
      }
      if (k == 0 || kept.size() <= keep) {
        String prefix = text.substring(0, cut);
        long[] keptIds = withSpecials(kept);
        counted.put(prefix, keptIds);
        int segmentTokens = ids.length - specialTokens;
        return to == clean.length()
            ? TokenFit.cut(prefix, keptIds.length, before.size() + segmentTokens + specialTokens)
            : TokenFit.cutUncounted(prefix, keptIds.length, maxTokens);
      }
    }
  }

  /**
   * The char positions in {@code clean} where the segment's content tokens {@code 0..last} start.
   * The native tokenizer reports code-point offsets; they are converted in one pass, as they only
   * grow.
   */
  private int[] contentStarts(String clean, int from, CharSpan[] spans, int last) {
    int[] starts = new int[last + 1];
    int codePoint = 0;
    int at = from;
    for (int k = 0; k <= last; k++) {
      CharSpan span = spans[leadingSpecials.length + k];
      int target = span == null ? codePoint : span.getStart();
      if (target < codePoint) { // offsets that go back: count again from the segment's start
        codePoint = 0;
        at = from;
      }
      at = clean.offsetByCodePoints(at, target - codePoint);
      codePoint = target;
      starts[k] = at;
    }
    return starts;
  }

  /** The last position in {@code (from, cut]} the tokenizer splits at, or {@code from}. */
  private int lastSplitAtOrBefore(String clean, int from, int cut) {
    for (int b = Math.min(cut, clean.length() - 1); b > from; b--) {
      if (!Character.isLowSurrogate(clean.charAt(b)) && boundaries.splitsBefore(clean, b)) {
        return b;
      }
    }
    return from;
  }

  private long[] withSpecials(IdList content) {
    long[] all = new long[leadingSpecials.length + content.size() + trailingSpecials.length];
    System.arraycopy(leadingSpecials, 0, all, 0, leadingSpecials.length);
    content.copyTo(all, leadingSpecials.length);
    System.arraycopy(
        trailingSpecials, 0, all, all.length - trailingSpecials.length, trailingSpecials.length);
    return all;
  }

  /** A growable list of token ids. */
  private static final class IdList {
    private long[] ids = new long[256];
    private int size;

    int size() {
      return size;
    }

    void add(long[] from, int offset, int count) {
      if (size + count > ids.length) {
        ids = Arrays.copyOf(ids, Math.max(size + count, 2 * ids.length));
      }
      System.arraycopy(from, offset, ids, size, count);
      size += count;
    }

    IdList copy() {
      IdList c = new IdList();
      c.ids = Arrays.copyOf(ids, Math.max(ids.length, 1));
      c.size = size;
      return c;
    }

    void copyTo(long[] out, int offset) {
      System.arraycopy(ids, 0, out, offset, size);
    }
  }

  /** Replaces unpaired surrogates with U+FFFD, one char for one char, so offsets stay aligned. */
  static String wellFormed(String text) {
    int n = text.length();
    char[] chars = null;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(text.charAt(i + 1))) {
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
