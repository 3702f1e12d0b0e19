package io.batchwise.internal.embed;

import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Counts and times every provider call attempt, tagged by provider, model and outcome, and counts the
 * vectors of each answered call.
 */
final class CallMetricsInterceptor implements CallInterceptor {
  private final Counter calls;
  private final Counter vectors;
  private final Timer success;
  private final Timer failure;

  CallMetricsInterceptor(MeterRegistry registry, String providerId, String model) {
    this.calls = Counter.builder(MeterNames.EMBED_CALLS)
        .tag(MeterNames.TAG_PROVIDER, providerId).tag(MeterNames.TAG_MODEL, model)
        .description("provider call attempts").register(registry);
    this.vectors = Counter.builder(MeterNames.EMBED_VECTORS)
        .tag(MeterNames.TAG_PROVIDER, providerId).tag(MeterNames.TAG_MODEL, model)
        .description("vectors returned by answered provider calls").register(registry);
    this.success = timer(registry, providerId, model, "success");
    this.failure = timer(registry, providerId, model, "failure");
  }

  private static Timer timer(MeterRegistry registry, String providerId, String model, String outcome) {
    return Timer.builder(MeterNames.EMBED_CALL_LATENCY)
        .tag(MeterNames.TAG_PROVIDER, providerId).tag(MeterNames.TAG_MODEL, model)
        .tag(MeterNames.TAG_OUTCOME, outcome)
        .publishPercentiles(0.5, 0.95, 0.99)
        .description("one provider call").register(registry);
  }

  @Override
  public CompletableFuture<List<float[]>> intercept(Chain chain) {
    calls.increment();
    long start = System.nanoTime();
    return chain.proceed(chain.texts()).whenComplete((v, e) -> {
      (e == null ? success : failure).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      if (e == null) {
        vectors.increment(v.size());
      }
    });
  }
}
