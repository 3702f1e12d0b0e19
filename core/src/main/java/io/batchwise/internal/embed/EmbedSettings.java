package io.batchwise.internal.embed;

import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import java.time.Duration;
import java.util.Optional;

/**
 * The resolved settings of one embedder: the provider's model with any user overrides of its
 * limits, and how calls run. Immutable.
 *
 * @param model the model info the pipeline packs against (overrides applied)
 * @param limitPolicy what to do with an input over the per-input token limit
 * @param maxInputChars inputs longer than this fail before tokenizing
 * @param concurrency provider calls at once, over every embed of the instance
 * @param callTimeout the time one call attempt may take (the scheduler's batch timeout)
 * @param retryPolicy how retryable call failures are retried
 * @param requestsPerMinute calls started per minute over every embed of the instance, 0 for no
 *     limit
 * @param tokensPerMinute tokens started per minute over every embed of the instance, 0 for no limit
 * @param streamWindow inputs per window of {@code embedStream}
 * @param jobTimeout the longest one embed's provider calls may run, empty for no limit
 * @param coalesceWindow how long an embed smaller than a call waits for others to share its calls;
 *     zero for never
 */
public record EmbedSettings(
    ModelInfo model,
    LimitPolicy limitPolicy,
    int maxInputChars,
    int concurrency,
    Duration callTimeout,
    RetryPolicy retryPolicy,
    int requestsPerMinute,
    long tokensPerMinute,
    int streamWindow,
    Optional<Duration> jobTimeout,
    Duration coalesceWindow) {}
