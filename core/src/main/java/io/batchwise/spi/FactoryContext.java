package io.batchwise.spi;

import io.batchwise.config.Config;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executor;

/**
 * What every factory receives when it creates its component: the resolved configuration, the one
 * shared meter registry, the shared tokenizer registry, and the CPU pool for CPU-bound work.
 *
 * <p>Everything here is owned by the {@code Batchwise} instance; factories must not close it.
 */
public interface FactoryContext {

  /**
   * The resolved configuration (builder, then system properties, then environment).
   *
   * @return the configuration
   */
  Config config();

  /**
   * The registry every component records its meters to (names in {@link
   * io.batchwise.meters.MeterNames}).
   *
   * @return the shared registry
   */
  io.micrometer.core.instrument.MeterRegistry meterRegistry();

  /**
   * The shared tokenizer registry: one loaded instance per model or encoding, with a count cache.
   *
   * @return the registry
   */
  TokenizerRegistry tokenizers();

  /**
   * A pool sized to the cores for CPU-bound work (tokenizing, packing, decoding). Never block on
   * I/O in it.
   *
   * @return the CPU executor
   */
  Executor cpuExecutor();

  /**
   * A context for tests and standalone use.
   *
   * @param config the configuration
   * @param registry the meter registry
   * @param tokenizers the tokenizer registry
   * @param cpuExecutor the CPU executor
   * @return an immutable context
   */
  static FactoryContext of(
      Config config, MeterRegistry registry, TokenizerRegistry tokenizers, Executor cpuExecutor) {
    return new FactoryContext() {
      @Override
      public Config config() {
        return config;
      }

      @Override
      public MeterRegistry meterRegistry() {
        return registry;
      }

      @Override
      public TokenizerRegistry tokenizers() {
        return tokenizers;
      }

      @Override
      public Executor cpuExecutor() {
        return cpuExecutor;
      }
    };
  }
}
