package io.batchwise.internal.wiring;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.internal.embed.EmbedSettings;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.ModelInfo;

/**
 * Turns the configuration and the provider's declarations into the embedder's settings: limits may
 * only be lowered below what the provider declares, and every value is range-checked with a message
 * naming the option.
 */
public final class EmbedSettingsResolver {
  private EmbedSettingsResolver() {}

  static EmbedSettings resolve(Config config, EmbeddingProvider provider) {
    ModelInfo declared = provider.modelInfo();
    int inputs = lowerOnly(config, CoreOptions.MAX_INPUTS_PER_CALL, declared.maxInputsPerCall());
    int perInput =
        lowerOnly(config, CoreOptions.MAX_TOKENS_PER_INPUT, declared.maxTokensPerInput());
    int perCall = lowerOnly(config, CoreOptions.MAX_TOKENS_PER_CALL, declared.maxTokensPerCall());
    if (perCall < perInput) {
      throw new ConfigurationException(
          "option 'max-tokens-per-call' ("
              + perCall
              + ") must be at least max-tokens-per-input ("
              + perInput
              + ")");
    }
    // the micro-batch budget is the provider's own setting (e.g. local.token-budget), not a core
    // option
    ModelInfo model =
        declared.withLimits(inputs, perInput, perCall, declared.microBatchTokenBudget());
    return new EmbedSettings(
        model,
        config.find(CoreOptions.LIMIT_POLICY).orElse(provider.defaultLimitPolicy()),
        config.get(CoreOptions.MAX_INPUT_CHARS),
        config.get(CoreOptions.CONCURRENCY),
        config.get(CoreOptions.CALL_TIMEOUT),
        retryPolicy(config),
        config.get(CoreOptions.REQUESTS_PER_MINUTE),
        config.get(CoreOptions.TOKENS_PER_MINUTE),
        config.get(CoreOptions.STREAM_WINDOW),
        config.find(CoreOptions.JOB_TIMEOUT),
        config.get(CoreOptions.COALESCE_WINDOW));
  }

  /**
   * The retries the {@code max-attempts} option allows, with the scheduler's default backoff.
   *
   * @param config the configuration
   * @return the policy
   */
  static RetryPolicy retryPolicy(Config config) {
    int attempts = config.get(CoreOptions.MAX_ATTEMPTS);
    return new RetryPolicy(
        attempts,
        RetryPolicy.DEFAULT.initialBackoff(),
        RetryPolicy.DEFAULT.maxBackoff(),
        RetryPolicy.DEFAULT.multiplier(),
        RetryPolicy.DEFAULT.jitter());
  }

  /** A limit the option may lower below what the provider declares, but never raise. */
  private static int lowerOnly(Config config, ConfigOption<Integer> option, int declared) {
    return config.find(option.atMost(declared)).orElse(declared);
  }
}
