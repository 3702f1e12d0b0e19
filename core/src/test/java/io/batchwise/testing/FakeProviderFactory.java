package io.batchwise.testing;

import io.batchwise.config.ConfigOption;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.FactoryContext;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import java.util.List;

/**
 * Registers {@link FakeEmbeddingProvider} as {@code fake} through META-INF/services in test
 * resources.
 */
public final class FakeProviderFactory implements EmbeddingProviderFactory {
  /** Called by ServiceLoader. */
  public FakeProviderFactory() {}

  @Override
  public String id() {
    return "fake";
  }

  /** The vector length. */
  static final ConfigOption<Integer> DIMENSIONS =
      ConfigOption.integer("fake.dimensions", 1, 4096, "vector length of the fake provider")
          .withDefault(8);

  @Override
  public List<ConfigOption<?>> options() {
    return List.of(
        DIMENSIONS,
        ConfigOption.secret("fake.api-key", "a secret that must never be printed", "FAKE_API_KEY"));
  }

  @Override
  public EmbeddingProvider create(FactoryContext context) {
    int dims = context.config().get(DIMENSIONS);
    return new FakeEmbeddingProvider(
        new ModelInfo("fake-model", dims, true, 16, 16, 64, ModelInfo.NO_LIMIT),
        BatchStrategy.SINGLE_CALL,
        LimitPolicy.FAIL);
  }
}
