package io.batchwise.testing;

import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.FactoryContext;

/** The other of two test factories sharing the id {@code twin}, to test the duplicate-id error. */
public final class TwinFactoryB implements EmbeddingProviderFactory {
  /** Called by ServiceLoader. */
  public TwinFactoryB() {}

  @Override
  public String id() {
    return "twin";
  }

  @Override
  public EmbeddingProvider create(FactoryContext context) {
    throw new UnsupportedOperationException();
  }
}
