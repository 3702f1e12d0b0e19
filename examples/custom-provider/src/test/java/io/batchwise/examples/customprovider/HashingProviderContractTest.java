package io.batchwise.examples.customprovider;

import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.testkit.EmbeddingProviderContract;
import io.batchwise.testkit.FactoryContexts;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** The provider contract every Batchwise provider honours, run against the hashing provider. */
class HashingProviderContractTest extends EmbeddingProviderContract {
  private static final HashingProviderFactory FACTORY = new HashingProviderFactory();

  @Override
  protected EmbeddingProvider createProvider() {
    return FACTORY.create(FactoryContexts.of(FACTORY, Map.of()));
  }

  /**
   * Hashing fails only on input the pipeline never sends: a null text, which it rejects for good.
   */
  @Override
  protected Optional<ProvokedFailure> provokeFailure() {
    return Optional.of(new ProvokedFailure(Arrays.asList("a text", null), false));
  }
}
