package io.batchwise.internal.embed;

import io.batchwise.internal.concurrent.Failures;
import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times every provider call attempt, tagged by provider, model and outcome, and counts
 * the vectors of each answered call; records the same calls in the OpenTelemetry GenAI client
 * histograms ({@link MeterNames#GEN_AI_OPERATION_DURATION}, {@link MeterNames#GEN_AI_TOKEN_USAGE}).
 */
final class CallMetricsInterceptor implements CallInterceptor {
  /** The GenAI conventions give durations in seconds whatever the registry's base time unit is. */
  private static final double NANOS_PER_SECOND = 1e9;

  private final MeterRegistry registry;
  private final Counter calls;
  private final Counter vectors;
  private final Timer success;
  private final Timer failure;
  private final Tags genAi;
  private final DistributionSummary duration;
  private final DistributionSummary tokenUsage;

  CallMetricsInterceptor(MeterRegistry registry, String providerId, String model) {
    this.registry = registry;
    this.calls =
        Counter.builder(MeterNames.EMBED_CALLS)
            .tag(MeterNames.TAG_PROVIDER, providerId)
            .tag(MeterNames.TAG_MODEL, model)
            .description("provider call attempts")
            .register(registry);
    this.vectors =
        Counter.builder(MeterNames.EMBED_VECTORS)
            .tag(MeterNames.TAG_PROVIDER, providerId)
            .tag(MeterNames.TAG_MODEL, model)
            .description("vectors returned by answered provider calls")
            .register(registry);
    this.success = timer(registry, providerId, model, "success");
    this.failure = timer(registry, providerId, model, "failure");
    this.genAi =
        Tags.of(
            MeterNames.GEN_AI_OPERATION_NAME,
            MeterNames.GEN_AI_OPERATION_EMBEDDINGS,
            MeterNames.GEN_AI_PROVIDER_NAME,
            providerId,
            MeterNames.GEN_AI_REQUEST_MODEL,
            model);
    this.duration = duration(Tags.empty());
    this.tokenUsage =
        DistributionSummary.builder(MeterNames.GEN_AI_TOKEN_USAGE)
            .tags(genAi)
            .tag(MeterNames.GEN_AI_TOKEN_TYPE, MeterNames.GEN_AI_TOKEN_TYPE_INPUT)
            .baseUnit("{token}")
            .description("Measures number of input and output tokens used")
            .register(registry);
  }

  private static Timer timer(
      MeterRegistry registry, String providerId, String model, String outcome) {
    return Timer.builder(MeterNames.EMBED_CALL_LATENCY)
        .tag(MeterNames.TAG_PROVIDER, providerId)
        .tag(MeterNames.TAG_MODEL, model)
        .tag(MeterNames.TAG_OUTCOME, outcome)
        .description("one provider call")
        .register(registry);
  }

  /**
   * The duration histogram with the GenAI tags and {@code extra}; the registry keeps one per tag
   * set.
   */
  private DistributionSummary duration(Tags extra) {
    return DistributionSummary.builder(MeterNames.GEN_AI_OPERATION_DURATION)
        .tags(genAi.and(extra))
        .baseUnit("s")
        .description("GenAI operation duration")
        .register(registry);
  }

  @Override
  public CompletableFuture<List<float[]>> intercept(Chain chain) {
    calls.increment();
    long tokens = chain.info().tokens();
    long start = System.nanoTime();
    return chain
        .proceed(chain.texts())
        .whenComplete(
            (v, e) -> {
              long nanos = System.nanoTime() - start;
              (e == null ? success : failure).record(nanos, TimeUnit.NANOSECONDS);
              if (e == null) {
                duration.record(nanos / NANOS_PER_SECOND);
                tokenUsage.record(tokens);
                vectors.increment(v.size());
              } else {
                duration(Tags.of(MeterNames.ERROR_TYPE, Failures.unwrap(e).getClass().getName()))
                    .record(nanos / NANOS_PER_SECOND);
              }
            });
  }
}
