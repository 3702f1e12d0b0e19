package io.batchwise.internal.wiring;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.internal.embed.EmbedSettings;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns the configuration and the provider's declarations into the embedder's settings: limits may
 * only be lowered below what the provider declares, and every value is range-checked with a message
 * naming the option.
 */
public final class EmbedSettingsResolver {
  /** {@code coalesce-window} unless set: a few milliseconds, small beside a remote call's latency. */
  static final Duration DEFAULT_COALESCE_WINDOW = Duration.ofMillis(2);
  /** Beyond this a caller would wait longer than any call it could share takes. */
  static final Duration MAX_COALESCE_WINDOW = Duration.ofMinutes(1);

  private EmbedSettingsResolver() {}

  /**
   * The {@code job-timeout} option, where its rule is written: a positive duration, or unset.
   *
   * @param config the configuration
   * @return the timeout, or empty when unset
   * @throws ConfigurationException when malformed, zero or negative
   */
  public static Optional<Duration> jobTimeout(Config config) {
    if (config.get(CoreOptions.JOB_TIMEOUT.key()).isEmpty()) {
      return Optional.empty();
    }
    Duration timeout = config.getDuration(CoreOptions.JOB_TIMEOUT.key(), Duration.ZERO);
    if (timeout.isZero()) {
      throw new ConfigurationException("option 'job-timeout' must be positive, was 0; leave it unset for no limit");
    }
    return Optional.of(timeout);
  }

  static EmbedSettings resolve(Config config, EmbeddingProvider provider) {
    ModelInfo declared = provider.modelInfo();
    int inputs = lowerOnly(config, CoreOptions.MAX_INPUTS_PER_CALL.key(), declared.maxInputsPerCall());
    int perInput = lowerOnly(config, CoreOptions.MAX_TOKENS_PER_INPUT.key(), declared.maxTokensPerInput());
    int perCall = lowerOnly(config, CoreOptions.MAX_TOKENS_PER_CALL.key(), declared.maxTokensPerCall());
    if (perCall < perInput) {
      throw new ConfigurationException("option 'max-tokens-per-call' (" + perCall
          + ") must be at least max-tokens-per-input (" + perInput + ")");
    }
    // the micro-batch budget is the provider's own setting (e.g. local.token-budget), not a core option
    ModelInfo model = declared.withLimits(inputs, perInput, perCall, declared.microBatchTokenBudget());
    var timeout = config.getDuration(CoreOptions.CALL_TIMEOUT.key(), java.time.Duration.ofSeconds(30));
    if (timeout.isZero()) {
      throw new ConfigurationException("option 'call-timeout' must be positive, was 0");
    }
    return new EmbedSettings(
        model,
        config.getEnum(CoreOptions.LIMIT_POLICY.key(), LimitPolicy.class, provider.defaultLimitPolicy()),
        config.getInt(CoreOptions.MAX_INPUT_CHARS.key(), 1 << 20, 1, Integer.MAX_VALUE / 2),
        concurrency(config),
        timeout,
        retryPolicy(config),
        requestsPerMinute(config),
        tokensPerMinute(config),
        config.getInt(CoreOptions.STREAM_WINDOW.key(), 4096, 1, 1_000_000),
        jobTimeout(config),
        coalesceWindow(config));
  }

  /**
   * The {@code coalesce-window} option, checked.
   *
   * @param config the configuration
   * @return the window, zero for no coalescing
   * @throws ConfigurationException when it is over {@link #MAX_COALESCE_WINDOW}
   */
  public static Duration coalesceWindow(Config config) {
    Duration window = config.getDuration(CoreOptions.COALESCE_WINDOW.key(), DEFAULT_COALESCE_WINDOW);
    if (window.compareTo(MAX_COALESCE_WINDOW) > 0) {
      throw new ConfigurationException("option '" + CoreOptions.COALESCE_WINDOW.key() + "' must be at most "
          + MAX_COALESCE_WINDOW.toSeconds() + "s, was " + config.get(CoreOptions.COALESCE_WINDOW.key()).orElse(""));
    }
    return window;
  }

  /**
   * The {@code concurrency} option: calls at once over every run of the instance. Cores x 2 unless
   * set, for both strategies: remote calls wait on I/O, and for in-process models (which cap their
   * own concurrent session runs) a second call in flight lets tokenizing overlap with running the
   * model (providers-local README).
   *
   * @param config the configuration
   * @return the concurrency, 1-1024
   */
  static int concurrency(Config config) {
    int defaultConcurrency = JobOptions.defaultConcurrency(JobOptions.DEFAULT_AGENTS_PER_CORE);
    return config.getInt(CoreOptions.CONCURRENCY.key(), defaultConcurrency, 1, 1024);
  }

  /**
   * The retries the {@code max-attempts} option allows, with the scheduler's default backoff.
   *
   * @param config the configuration
   * @return the policy
   */
  static RetryPolicy retryPolicy(Config config) {
    int attempts = config.getInt(CoreOptions.MAX_ATTEMPTS.key(), 4, 1, 20);
    return new RetryPolicy(attempts, RetryPolicy.DEFAULT.initialBackoff(),
        RetryPolicy.DEFAULT.maxBackoff(), RetryPolicy.DEFAULT.multiplier(), RetryPolicy.DEFAULT.jitter());
  }

  /**
   * @param config the configuration
   * @return the {@code requests-per-minute} option, 0 for no limit
   */
  static int requestsPerMinute(Config config) {
    return config.getInt(CoreOptions.REQUESTS_PER_MINUTE.key(), 0, 0, 100_000_000);
  }

  /**
   * @param config the configuration
   * @return the {@code tokens-per-minute} option, 0 for no limit
   */
  static long tokensPerMinute(Config config) {
    return config.getLong(CoreOptions.TOKENS_PER_MINUTE.key(), 0, 0, Long.MAX_VALUE / 4);
  }

  private static int lowerOnly(Config config, String key, int declared) {
    return config.getInt(key, declared, 1, declared);
  }
}
