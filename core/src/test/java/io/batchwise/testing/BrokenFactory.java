package io.batchwise.testing;

import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.FactoryContext;

/** A factory whose constructor throws: discovery must report and skip it. */
public final class BrokenFactory implements EmbeddingProviderFactory {
  /** Always fails, as a factory with a missing dependency would. */
  public BrokenFactory() {
    throw new IllegalStateException("broken on purpose");
  }

  @Override
  public String id() {
    return "broken";
  }

  @Override
  public EmbeddingProvider create(FactoryContext context) {
    throw new UnsupportedOperationException();
  }
}
