package io.batchwise.examples.customprovider;

import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.testkit.EmbeddingProviderContract;
import io.batchwise.testkit.FactoryContexts;
import java.util.Map;

/** The provider contract every Batchwise provider honours, run against the hashing provider. */
class HashingProviderContractTest extends EmbeddingProviderContract {
  private static final HashingProviderFactory FACTORY = new HashingProviderFactory();

  @Override
  protected EmbeddingProvider createProvider() {
    return FACTORY.create(FactoryContexts.of(FACTORY, Map.of()));
  }
}
