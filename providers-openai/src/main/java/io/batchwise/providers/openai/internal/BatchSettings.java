package io.batchwise.providers.openai.internal;

import static io.batchwise.providers.openai.internal.OpenAiOptions.BATCH_ENQUEUED_TOKENS;
import static io.batchwise.providers.openai.internal.OpenAiOptions.BATCH_KEEP_FILES;
import static io.batchwise.providers.openai.internal.OpenAiOptions.BATCH_MAX_INPUTS;
import static io.batchwise.providers.openai.internal.OpenAiOptions.BATCH_MAX_POLL_INTERVAL;
import static io.batchwise.providers.openai.internal.OpenAiOptions.BATCH_ON_EXPIRED;
import static io.batchwise.providers.openai.internal.OpenAiOptions.BATCH_POLL_INTERVAL;
import static io.batchwise.providers.openai.internal.OpenAiOptions.BATCH_STATE_DIR;
import static io.batchwise.providers.openai.internal.OpenAiOptions.BATCH_TRANSFER_TIMEOUT;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code openai.batch.*} options, read and checked once. Immutable.
 */
final class BatchSettings {
  /** The Batch API's most embedding inputs over the requests of one batch. */
  static final int MAX_INPUTS_PER_BATCH = 50_000;

  final Path stateDir;
  final Duration pollInterval;
  final Duration maxPollInterval;
  final int maxInputsPerBatch;
  final long enqueuedTokenLimit;
  final boolean resubmitExpired;
  final boolean keepFiles;
  final Duration transferTimeout;

  BatchSettings(Config config) {
    this.stateDir = config.get(BATCH_STATE_DIR.key()).map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".batchwise", "batch-jobs"));
    this.pollInterval = ConnectionSettings.positive(config, BATCH_POLL_INTERVAL);
    this.maxPollInterval = ConnectionSettings.positive(config, BATCH_MAX_POLL_INTERVAL);
    if (maxPollInterval.compareTo(pollInterval) < 0) {
      throw new ConfigurationException("option '" + BATCH_MAX_POLL_INTERVAL.key() + "' (" + maxPollInterval
          + ") must not be shorter than '" + BATCH_POLL_INTERVAL.key() + "' (" + pollInterval + ")");
    }
    this.maxInputsPerBatch = config.getInt(BATCH_MAX_INPUTS.key(), MAX_INPUTS_PER_BATCH, 1, MAX_INPUTS_PER_BATCH);
    this.enqueuedTokenLimit = config.getLong(BATCH_ENQUEUED_TOKENS.key(), 0, 0, Long.MAX_VALUE);
    String expired = config.require(BATCH_ON_EXPIRED.key());
    if (!expired.equals("resubmit") && !expired.equals("fail")) {
      throw new ConfigurationException(
          "option '" + BATCH_ON_EXPIRED.key() + "' must be resubmit or fail, was '" + expired + "'");
    }
    this.resubmitExpired = expired.equals("resubmit");
    this.keepFiles = config.getBoolean(BATCH_KEEP_FILES.key(), false);
    this.transferTimeout = ConnectionSettings.positive(config, BATCH_TRANSFER_TIMEOUT);
  }
}
