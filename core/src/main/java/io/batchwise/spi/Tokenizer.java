package io.batchwise.spi;

/**
 * Counts and truncates text in a model's tokens: what the embed pipeline needs to hold every input
 * to its limit ({@link #fit}) and to pack calls ({@link #count}). Encoding to ids and decoding back
 * are optional ({@link #encode}, {@link #decode}): the pipeline never calls them, and a tokenizer
 * that cannot (a one-way hash, a remote counting endpoint) leaves their defaults, which throw.
 *
 * <p>Counting is the hot path of every budget, so implementations should make {@link #count} cheap;
 * the {@link io.batchwise.tokenizer.TokenizerRegistry} puts a bounded count cache in front of every
 * tokenizer it hands out. Implementations must be thread-safe: one instance is shared per model.
 *
 * <pre>{@code
 * Tokenizer words = new Tokenizer() {
 *   public String name() { return "words"; }
 *   public int count(String text) { return text.isBlank() ? 0 : text.strip().split("\\s+").length; }
 *   public String truncate(String text, int maxTokens) { ... } // the longest prefix of maxTokens words
 * };
 * }</pre>
 */
public interface Tokenizer {

  /**
   * The model or encoding this tokenizer implements, e.g. {@code cl100k_base} or {@code
   * all-minilm-l6-v2}.
   *
   * @return a stable, non-blank name
   */
  String name();

  /**
   * Counts the tokens of {@code text} as the model would see them (special tokens a model adds to
   * every input, such as {@code [CLS]}, included).
   *
   * @param text the text, not null
   * @return the token count, at least 0
   */
  int count(String text);

  /**
   * Encodes {@code text} to token ids. Optional: the embed pipeline never calls it.
   *
   * @param text the text, not null
   * @return the token ids; the array's length equals {@link #count(String)}
   * @throws UnsupportedOperationException when this tokenizer does not encode (the default), naming
   *     the tokenizer and the method
   */
  default int[] encode(String text) {
    throw unsupported("encode");
  }

  /**
   * Decodes token ids back to text. Optional: the embed pipeline never calls it.
   *
   * @param tokens token ids, as returned by {@link #encode(String)}
   * @return the text they stand for
   * @throws UnsupportedOperationException when this tokenizer does not decode (the default), naming
   *     the tokenizer and the method
   */
  default String decode(int[] tokens) {
    throw unsupported("decode");
  }

  private UnsupportedOperationException unsupported(String method) {
    return new UnsupportedOperationException(
        "tokenizer '"
            + name()
            + "' ("
            + getClass().getName()
            + ") does not implement "
            + method
            + "(); only count, truncate and fit are required");
  }

  /**
   * Cuts {@code text} so that it has at most {@code maxTokens} tokens, keeping its beginning.
   *
   * @param text the text, not null
   * @param maxTokens the most tokens the result may have, at least 1
   * @return {@code text} itself when it already fits, otherwise its longest prefix that fits
   */
  String truncate(String text, int maxTokens);

  /**
   * Holds {@code text} to {@code maxTokens} tokens: counts a text that fits, and cuts one that does
   * not as {@link #truncate} would, telling which it did. The embed pipeline applies every
   * per-input limit through this method.
   *
   * <p>This default counts the whole text, truncates it and counts the cut, so its cost follows the
   * input's length. A tokenizer that can tell from a prefix where the cut falls should override it
   * to read only as much of a long text as the kept tokens need (the built-in ones do), and may
   * then leave the input's own count unknown ({@link TokenFit#inputCounted()}).
   *
   * @param text the text, not null
   * @param maxTokens the most tokens to keep, at least 1
   * @return the text to send and its count
   * @throws IllegalArgumentException when {@code maxTokens} is below what this tokenizer can cut to
   */
  default TokenFit fit(String text, int maxTokens) {
    int count = count(text);
    if (count <= maxTokens) {
      return TokenFit.whole(text, count);
    }
    String cut = truncate(text, maxTokens);
    return TokenFit.cut(cut, count(cut), count);
  }
}
