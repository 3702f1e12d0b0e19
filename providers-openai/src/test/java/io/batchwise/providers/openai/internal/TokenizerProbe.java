package io.batchwise.providers.openai.internal;

import io.batchwise.spi.Tokenizer;

/** What a tiktoken tokenizer has been handed, for tests outside this package. */
public final class TokenizerProbe {
  private TokenizerProbe() {}

  /**
   * How many chars a tokenizer from {@link TiktokenEncodings} has handed its encoding so far.
   *
   * @param tokenizer the tokenizer
   * @return a running total
   */
  public static long charsTokenized(Tokenizer tokenizer) {
    return ((JtokkitTokenizer) tokenizer).charsTokenized();
  }
}
