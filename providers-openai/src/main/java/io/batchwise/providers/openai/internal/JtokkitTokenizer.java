package io.batchwise.providers.openai.internal;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import io.batchwise.tokenizer.SegmentPlanner;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link Tokenizer} for one tiktoken encoding, backed by JTokkit.
 *
 * <p>Text is tokenized as ordinary text: a special token's spelling in the input (such as {@code
 * <|endoftext|>}) counts as the tokens of its characters, which is how the OpenAI embeddings API
 * counts it, and never makes counting throw. The encoding's vocabulary is loaded on first use.
 * {@link #fit} and {@link #truncate} read a long text in pieces ({@link TiktokenBoundaries}) only
 * as far as the cut. Thread-safe; one instance per encoding (see {@link
 * TiktokenEncodings#tokenizer(EncodingType)}).
 */
public final class JtokkitTokenizer implements Tokenizer {
  private final EncodingType type;
  private volatile Encoding encoding;
  private final LongAdder charsTokenized = new LongAdder();

  JtokkitTokenizer(EncodingType type) {
    this.type = Objects.requireNonNull(type, "type");
  }

  /**
   * A tokenizer over a given encoding, for tests that watch what it is handed.
   *
   * @param type the encoding's type
   * @param encoding the encoding
   */
  JtokkitTokenizer(EncodingType type, Encoding encoding) {
    this(type);
    this.encoding = Objects.requireNonNull(encoding, "encoding");
  }

  /**
   * How many chars this tokenizer has handed its encoding to count or encode, for tests.
   *
   * @return a running total
   */
  long charsTokenized() {
    return charsTokenized.sum();
  }

  private Encoding encoding() {
    Encoding e = encoding;
    if (e == null) {
      e = TiktokenEncodings.registry().getEncoding(type);
      encoding = e;
    }
    return e;
  }

  @Override
  public String name() {
    return type.getName();
  }

  @Override
  public int count(String text) {
    charsTokenized.add(Objects.requireNonNull(text, "text").length());
    return encoding().countTokensOrdinary(text);
  }

  @Override
  public int[] encode(String text) {
    charsTokenized.add(Objects.requireNonNull(text, "text").length());
    return encoding().encodeOrdinary(text).toArray();
  }

  @Override
  public String decode(int[] tokens) {
    IntArrayList list = new IntArrayList(tokens.length);
    for (int t : tokens) {
      list.add(t);
    }
    return encoding().decode(list);
  }

  /** Cuts at a character boundary, reading only as much of {@code text} as {@link #fit} does. */
  @Override
  public String truncate(String text, int maxTokens) {
    return fit(text, maxTokens).text();
  }

  /**
   * Counts a text that fits, or cuts one that does not after its first {@code maxTokens} tokens,
   * reading it in pieces until the cut ({@link SegmentPlanner}, {@link TiktokenBoundaries}).
   *
   * <p>Each piece ends where tiktoken starts a new piece of text whatever follows, so its tokens
   * are the whole text's, the word at the cut included: the cut is where cutting the whole text's
   * tokens puts it. As JTokkit does, tokens that end inside a code point are left out, so the kept
   * text is a true prefix; because tokens can merge differently at the kept text's new end, the
   * kept text's last word (from the last piece start) is counted again, and the kept text shortened
   * a character at a time until it fits.
   */
  @Override
  public TokenFit fit(String text, int maxTokens) {
    Objects.requireNonNull(text, "text");
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens was " + maxTokens + "; it must be at least 1");
    }
    // byte-level tokens make rare characters and emoji several times denser than any estimate, and
    // a call is cheap: start with part of the tokens wanted
    SegmentPlanner planner =
        new SegmentPlanner(text, TiktokenBoundaries.INSTANCE, SegmentPlanner.CAUTIOUS_SHARE);
    int seen = 0;
    int from = 0;
    while (true) {
      int to = planner.next(maxTokens + 1 - seen);
      String segment = from == 0 && to == text.length() ? text : text.substring(from, to);
      charsTokenized.add(segment.length());
      IntArrayList tokens = encoding().encodeOrdinary(segment);
      if (seen + tokens.size() > maxTokens) {
        return cutIn(
            text,
            from,
            segment,
            tokens,
            seen,
            maxTokens,
            to == text.length() ? seen + tokens.size() : -1);
      }
      seen += tokens.size();
      planner.tokenized(tokens.size());
      if (to == text.length()) {
        return TokenFit.whole(text, seen);
      }
      from = to;
    }
  }

  /**
   * The cut in {@code segment} (at {@code from} in the text, after {@code before} tokens), whose
   * tokens take the count over the limit.
   *
   * @param inputTokens the input's count, or -1 when it was not counted to its end
   */
  private TokenFit cutIn(
      String text,
      int from,
      String segment,
      IntArrayList tokens,
      int before,
      int maxTokens,
      int inputTokens) {
    int keep = maxTokens - before;
    String decoded;
    while (true) { // JTokkit's own rule: drop tokens until the rest decode to a prefix of the text
      decoded = decode(tokens, keep);
      if (segment.startsWith(decoded)) {
        break;
      }
      keep--;
    }
    int end = from + decoded.length();
    int pieceStart = end;
    while (pieceStart > from
        && !(pieceStart < text.length()
            && TiktokenBoundaries.INSTANCE.splitsBefore(text, pieceStart))) {
      pieceStart--;
    }
    int tokensBeforePiece = tokensBefore(tokens, segment, pieceStart - from);
    if (tokensBeforePiece < 0) {
      pieceStart = from;
      tokensBeforePiece = 0;
    }
    int e = end;
    int kept = tokensUpTo(text, pieceStart, before + tokensBeforePiece, e);
    while (e > pieceStart && kept > maxTokens) {
      e = safeEnd(text, e - 1);
      kept = tokensUpTo(text, pieceStart, before + tokensBeforePiece, e);
    }
    String prefix = text.substring(0, e);
    return inputTokens >= 0
        ? TokenFit.cut(prefix, kept, inputTokens)
        : TokenFit.cutUncounted(prefix, kept, maxTokens);
  }

  private String decode(IntArrayList tokens, int count) {
    IntArrayList first = new IntArrayList(count);
    for (int i = 0; i < count; i++) {
      first.add(tokens.get(i));
    }
    return encoding().decode(first);
  }

  /**
   * How many of the segment's tokens cover exactly its first {@code chars} chars, or -1 when no
   * token ends there.
   */
  private int tokensBefore(IntArrayList tokens, String segment, int chars) {
    long bytes = utf8Length(segment, chars);
    long sum = 0;
    int i = 0;
    IntArrayList one = new IntArrayList(1);
    while (sum < bytes && i < tokens.size()) {
      one.clear();
      one.add(tokens.get(i++));
      sum += encoding().decodeBytes(one).length;
    }
    return sum == bytes ? i : -1;
  }

  private static long utf8Length(String s, int chars) {
    long bytes = 0;
    for (int i = 0; i < chars; ) {
      int cp = s.codePointAt(i);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += Character.charCount(cp);
    }
    return bytes;
  }

  /**
   * The tokens of {@code text[0, end)}: those before the piece start {@code from}, and the rest's.
   */
  private int tokensUpTo(String text, int from, int before, int end) {
    return end == from ? before : before + count(text.substring(from, end));
  }

  /** {@code end}, or one less when that would split a surrogate pair. */
  private static int safeEnd(String text, int end) {
    return end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))
        ? end - 1
        : end;
  }

  @Override
  public String toString() {
    return "JtokkitTokenizer[" + type.getName() + "]";
  }
}
