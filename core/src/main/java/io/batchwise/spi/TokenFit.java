package io.batchwise.spi;

import java.util.Objects;

/**
 * A text held to a per-input token limit by {@link Tokenizer#fit}: what to send, how many tokens
 * that is, and what is known of the whole input's count.
 *
 * <p>A tokenizer that cuts a long input reads only as much of it as the cut needs, so the input's
 * own count is then not known; {@link #inputCounted()} says whether it is. Immutable.
 *
 * @param text what to send: the input itself when it fits, otherwise its longest prefix, ending at
 *     a token boundary, whose tokens are the input's first tokens within the limit
 * @param tokens the tokens of {@code text}, special tokens included, at least 0
 * @param truncated whether {@code text} is a cut of the input (the input has more tokens than the
 *     limit)
 * @param inputTokens the input's count when {@code inputCounted}; otherwise the limit, which the
 *     input is only known to exceed
 * @param inputCounted whether {@code inputTokens} is the input's exact count
 */
public record TokenFit(
    String text, int tokens, boolean truncated, int inputTokens, boolean inputCounted) {

  /**
   * Checks the fields agree.
   *
   * @throws IllegalArgumentException when a count is negative, a whole input's count differs from
   *     its tokens, or a cut claims no more input tokens than it keeps
   */
  public TokenFit {
    Objects.requireNonNull(text, "text");
    if (tokens < 0 || inputTokens < 0) {
      throw new IllegalArgumentException(
          "tokens " + tokens + " and inputTokens " + inputTokens + " must be >= 0");
    }
    if (!truncated && (!inputCounted || inputTokens != tokens)) {
      throw new IllegalArgumentException(
          "an input sent whole has been counted: its "
              + inputTokens
              + " tokens must equal the "
              + tokens
              + " sent");
    }
    if (truncated && inputCounted && inputTokens <= tokens) {
      throw new IllegalArgumentException(
          "a cut input has more than the " + tokens + " tokens kept, not " + inputTokens);
    }
  }

  /**
   * An input that fits: sent whole.
   *
   * @param text the input
   * @param tokens its count
   * @return the fit
   */
  public static TokenFit whole(String text, int tokens) {
    return new TokenFit(text, tokens, false, tokens, true);
  }

  /**
   * An input over the limit that was counted to its end.
   *
   * @param kept the prefix to send
   * @param tokens the tokens of {@code kept}
   * @param inputTokens the input's exact count, more than {@code tokens}
   * @return the fit
   */
  public static TokenFit cut(String kept, int tokens, int inputTokens) {
    return new TokenFit(kept, tokens, true, inputTokens, true);
  }

  /**
   * An input over the limit whose counting stopped once that was certain.
   *
   * @param kept the prefix to send
   * @param tokens the tokens of {@code kept}
   * @param limit the limit the input exceeds
   * @return the fit
   */
  public static TokenFit cutUncounted(String kept, int tokens, int limit) {
    return new TokenFit(kept, tokens, true, limit, false);
  }

  /**
   * The input's count in words, for messages: {@code "300 tokens"}, or {@code "more than 256
   * tokens"} when counting stopped early.
   *
   * @return the description
   */
  public String describeInputTokens() {
    return (inputCounted ? "" : "more than ") + inputTokens + " tokens";
  }
}
