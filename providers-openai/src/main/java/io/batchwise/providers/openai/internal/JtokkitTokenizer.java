package io.batchwise.providers.openai.internal;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.batchwise.spi.Tokenizer;
import java.util.Objects;

/**
 * A {@link Tokenizer} for one tiktoken encoding, backed by JTokkit.
 *
 * <p>Text is tokenized as ordinary text: a special token's spelling in the input (such as
 * {@code <|endoftext|>}) counts as the tokens of its characters, which is how the OpenAI embeddings
 * API counts it, and never makes counting throw. The encoding's vocabulary is loaded on first use.
 * Thread-safe; one instance per encoding (see {@link TiktokenEncodings#tokenizer(EncodingType)}).
 */
public final class JtokkitTokenizer implements Tokenizer {
  private final EncodingType type;
  private volatile Encoding encoding;

  JtokkitTokenizer(EncodingType type) {
    this.type = Objects.requireNonNull(type, "type");
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
    return encoding().countTokensOrdinary(Objects.requireNonNull(text, "text"));
  }

  @Override
  public int[] encode(String text) {
    return encoding().encodeOrdinary(Objects.requireNonNull(text, "text")).toArray();
  }

  @Override
  public String decode(int[] tokens) {
    IntArrayList list = new IntArrayList(tokens.length);
    for (int t : tokens) {
      list.add(t);
    }
    return encoding().decode(list);
  }

  /**
   * Cuts at a character boundary: JTokkit reports the last character its first {@code maxTokens}
   * tokens cover, so the result is a true prefix of {@code text} (never half a code point). Because
   * BPE can merge differently at a new end, the prefix is re-counted and shortened until it fits.
   */
  @Override
  public String truncate(String text, int maxTokens) {
    Objects.requireNonNull(text, "text");
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens was " + maxTokens + "; it must be at least 1");
    }
    EncodingResult result = encoding().encodeOrdinary(text, maxTokens);
    if (!result.isTruncated()) {
      return text;
    }
    int end = Math.min(text.length(), Math.max(0, result.getLastProcessedCharacterIndex() + 1));
    String prefix = safePrefix(text, end);
    while (!prefix.isEmpty() && count(prefix) > maxTokens) {
      prefix = safePrefix(text, prefix.length() - 1);
    }
    return prefix;
  }

  private static String safePrefix(String text, int end) {
    if (end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  @Override
  public String toString() {
    return "JtokkitTokenizer[" + type.getName() + "]";
  }
}
