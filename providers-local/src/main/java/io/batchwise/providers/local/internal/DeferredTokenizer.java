package io.batchwise.providers.local.internal;

import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import java.util.Objects;

/**
 * The provider's tokenizer as the pipeline sees it: its name is known at once, and the native
 * tokenizer ({@code tokenizer.json} and the HuggingFace library) loads on the first count, cut or
 * encoding. A run whose every input comes from the cache counts nothing, so it never loads it.
 * Thread-safe.
 */
final class DeferredTokenizer implements Tokenizer {
  private final String name;
  private final Deferred<HfTokenizer> tokenizer;

  /**
   * @param name the name the loaded tokenizer reports
   * @param tokenizer the tokenizer, loaded on first use
   */
  DeferredTokenizer(String name, Deferred<HfTokenizer> tokenizer) {
    this.name = Objects.requireNonNull(name, "name");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int count(String text) {
    return tokenizer.get().count(text);
  }

  @Override
  public int[] encode(String text) {
    return tokenizer.get().encode(text);
  }

  @Override
  public String decode(int[] tokens) {
    return tokenizer.get().decode(tokens);
  }

  @Override
  public String truncate(String text, int maxTokens) {
    return tokenizer.get().truncate(text, maxTokens);
  }

  @Override
  public TokenFit fit(String text, int maxTokens) {
    return tokenizer.get().fit(text, maxTokens);
  }

  @Override
  public String toString() {
    return "DeferredTokenizer["
        + name
        + (tokenizer.ifMade().isPresent() ? ", loaded" : ", not loaded yet")
        + "]";
  }
}
