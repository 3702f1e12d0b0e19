package io.batchwise.examples.customprovider;

import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.testkit.EmbeddingProviderContract;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** The provider contract every Batchwise provider honours, run against the hashing provider. */
class HashingProviderContractTest extends EmbeddingProviderContract {

  @Override
  protected EmbeddingProvider createProvider() {
    return new HashingProviderFactory().create(TestContexts.with(Map.of()));
  }

  /** Hashing fails only on input the pipeline never sends: a null text, which it rejects for good. */
  @Override
  protected Optional<ProvokedFailure> provokeFailure() {
    return Optional.of(new ProvokedFailure(Arrays.asList("a text", null), false));
  }
}
