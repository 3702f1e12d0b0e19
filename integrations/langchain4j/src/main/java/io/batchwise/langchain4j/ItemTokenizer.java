package io.batchwise.langchain4j;

import io.batchwise.spi.Tokenizer;

/**
 * Counts every text as one token, so that the pipeline packs a wrapped model's calls by item count.
 *
 * <p>A LangChain4j {@code EmbeddingModel} does not say how it tokenizes (a hosted one does it on
 * the server), and Batchwise packs by what its provider's tokenizer counts. Guessing — say, four
 * characters a token — would make the token limits look enforced when they are not; counting items
 * makes the only limit that holds, the inputs per call, the one the packing follows, and leaves
 * over-long texts to the model, which knows its own limit. Encoding gives one placeholder id per
 * text (so that {@code encode(t).length == count(t)}); there is no vocabulary to decode.
 *
 * <p>Immutable and thread-safe.
 */
final class ItemTokenizer implements Tokenizer {
  static final ItemTokenizer INSTANCE = new ItemTokenizer();

  private ItemTokenizer() {}

  @Override
  public String name() {
    return "items";
  }

  @Override
  public int count(String text) {
    return 1;
  }

  @Override
  public int[] encode(String text) {
    return new int[] {0};
  }

  /**
   * Not supported: an item count has no vocabulary.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public String decode(int[] tokens) {
    throw new UnsupportedOperationException(
        "the 'items' tokenizer of a wrapped LangChain4j model counts texts, it cannot decode tokens; "
            + "give LangChain4jProvider.Builder.tokenizer(...) a real tokenizer to work in tokens");
  }

  /** Every text is one token, so it always fits the smallest limit, 1. */
  @Override
  public String truncate(String text, int maxTokens) {
    return text;
  }
}
