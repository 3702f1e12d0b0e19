package io.batchwise.providers.local.internal;

import io.batchwise.providers.local.LocalProviderFactory;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.testkit.EmbeddingProviderContract;
import java.util.Map;

/** The core provider contract, against the default model (a fresh provider per rule). */
class LocalProviderContractTest extends EmbeddingProviderContract {
  @Override
  protected EmbeddingProvider createProvider() {
    return new LocalProviderFactory().create(LocalTestSupport.context(Map.of()));
  }
}
