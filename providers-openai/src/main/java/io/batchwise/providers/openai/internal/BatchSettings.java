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
import io.batchwise.providers.openai.internal.OpenAiOptions.OnExpired;
import java.nio.file.Path;
import java.time.Duration;

/** The {@code openai.batch.*} options, read and checked once. Immutable. */
final class BatchSettings {
  final Path stateDir;
  final Duration pollInterval;
  final Duration maxPollInterval;
  final int maxInputsPerBatch;
  final long enqueuedTokenLimit;
  final boolean resubmitExpired;
  final boolean keepFiles;
  final Duration transferTimeout;

  BatchSettings(Config config) {
    this.stateDir =
        config
            .find(BATCH_STATE_DIR)
            .map(Path::of)
            .orElseGet(() -> Path.of(System.getProperty("user.home"), ".batchwise", "batch-jobs"));
    this.pollInterval = config.get(BATCH_POLL_INTERVAL);
    this.maxPollInterval = config.get(BATCH_MAX_POLL_INTERVAL);
    if (maxPollInterval.compareTo(pollInterval) < 0) {
      throw new ConfigurationException(
          "option '"
              + BATCH_MAX_POLL_INTERVAL.key()
              + "' ("
              + maxPollInterval
              + ") must not be shorter than '"
              + BATCH_POLL_INTERVAL.key()
              + "' ("
              + pollInterval
              + ")");
    }
    this.maxInputsPerBatch = config.get(BATCH_MAX_INPUTS);
    this.enqueuedTokenLimit = config.get(BATCH_ENQUEUED_TOKENS);
    this.resubmitExpired = config.get(BATCH_ON_EXPIRED) == OnExpired.RESUBMIT;
    this.keepFiles = config.get(BATCH_KEEP_FILES);
    this.transferTimeout = config.get(BATCH_TRANSFER_TIMEOUT);
  }
}
