package io.batchwise.examples.customprovider;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.CoreOptions;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** Factory contexts over explicit options, without system properties or environment. */
final class TestContexts {
  private TestContexts() {}

  static FactoryContext with(Map<String, String> options) {
    Map<String, ConfigOption> known = new HashMap<>();
    CoreOptions.all().forEach(o -> known.put(o.key(), o));
    new HashingProviderFactory().options().forEach(o -> known.put(o.key(), o));
    Config config = Config.of(options, known, k -> null, k -> null);
    return FactoryContext.of(config, new SimpleMeterRegistry(), TokenizerRegistry.standalone(), ForkJoinPool.commonPool());
  }
}
