package io.batchwise.testing;

import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.TokenizerFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Registers {@link WhitespaceTokenizer} as {@code whitespace}; counts how often it loads one. */
public final class WhitespaceTokenizerFactory implements TokenizerFactory {
  /** How many tokenizers were created, across instances. */
  public static final AtomicInteger CREATED = new AtomicInteger();

  /** Called by ServiceLoader. */
  public WhitespaceTokenizerFactory() {}

  @Override
  public String id() {
    return "test-whitespace";
  }

  @Override
  public List<String> names() {
    return List.of("whitespace");
  }

  @Override
  public boolean supports(String name) {
    return name.equals("whitespace");
  }

  @Override
  public Tokenizer create(String name) {
    CREATED.incrementAndGet();
    return new WhitespaceTokenizer();
  }
}
