package io.batchwise.providers.local.internal;

import io.batchwise.providers.local.LocalProviderFactory;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.testkit.EmbeddingProviderContract;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The core provider contract, against the default model (a fresh provider per rule). */
class LocalProviderContractTest extends EmbeddingProviderContract {
  @Override
  protected EmbeddingProvider createProvider() {
    return new LocalProviderFactory().create(LocalTestSupport.context(Map.of()));
  }

  /**
   * An input longer than the model's 256 positions, which a call must not carry: a permanent
   * failure.
   */
  @Override
  protected Optional<ProvokedFailure> provokeFailure() {
    return Optional.of(new ProvokedFailure(List.of("fits", "word ".repeat(600)), false));
  }
}
