package io.batchwise.examples.customprovider;

import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.testkit.EmbeddingProviderContract;
import java.util.Map;

/** The provider contract every Batchwise provider honours, run against the hashing provider. */
class HashingProviderContractTest extends EmbeddingProviderContract {

  @Override
  protected EmbeddingProvider createProvider() {
    return new HashingProviderFactory().create(TestContexts.with(Map.of()));
  }
}
