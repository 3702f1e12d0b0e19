package io.batchwise.providers.openai.internal;

import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;

/**
 * The provider's HTTP meters: requests and latency by outcome, request and response body bytes
 * (counted by OkHttp's event callbacks, so compressed and streamed bodies count what crossed the
 * wire), and prompt (and, for chat, completion) tokens the server reported. One shared, stateless
 * listener for every call. Thread-safe.
 */
final class HttpMeters extends EventListener {
  /** Outcome of a call that got no HTTP response (connect, timeout, reset). */
  static final String OUTCOME_IO_ERROR = "io_error";

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter requestBytes;
  private final Counter responseBytes;
  private final Counter promptTokens;
  private final Counter completionTokens;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();

  HttpMeters(MeterRegistry registry, String providerId, String model) {
    this.registry = registry;
    this.tags = Tags.of(MeterNames.TAG_PROVIDER, providerId, MeterNames.TAG_MODEL, model);
    this.requestBytes =
        Counter.builder(MeterNames.HTTP_REQUEST_BYTES)
            .tags(tags)
            .baseUnit(BaseUnits.BYTES)
            .description("bytes of HTTP request bodies")
            .register(registry);
    this.responseBytes =
        Counter.builder(MeterNames.HTTP_RESPONSE_BYTES)
            .tags(tags)
            .baseUnit(BaseUnits.BYTES)
            .description("bytes of HTTP response bodies")
            .register(registry);
    this.promptTokens = registry.counter(MeterNames.TOKENS_PROMPT, tags);
    this.completionTokens = registry.counter(MeterNames.TOKENS_COMPLETION, tags);
  }

  @Override
  public void requestBodyEnd(Call call, long byteCount) {
    requestBytes.increment(byteCount);
  }

  @Override
  public void responseBodyEnd(Call call, long byteCount) {
    responseBytes.increment(byteCount);
  }

  /**
   * Records one finished call.
   *
   * @param outcome {@link #outcome(int)} of its status, or {@link #OUTCOME_IO_ERROR}
   * @param nanos from sending to the end of reading the response
   */
  void record(String outcome, long nanos) {
    requests
        .computeIfAbsent(
            outcome,
            o -> registry.counter(MeterNames.HTTP_REQUESTS, tags.and(MeterNames.TAG_OUTCOME, o)))
        .increment();
    latency
        .computeIfAbsent(
            outcome,
            o ->
                Timer.builder(MeterNames.HTTP_LATENCY)
                    .tags(tags.and(MeterNames.TAG_OUTCOME, o))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Adds the prompt tokens a response reported.
   *
   * @param tokens the {@code usage.prompt_tokens} value
   */
  void promptTokens(long tokens) {
    promptTokens.increment(tokens);
  }

  /**
   * Adds the completion tokens a chat response reported.
   *
   * @param tokens the {@code usage.completion_tokens} value
   */
  void completionTokens(long tokens) {
    completionTokens.increment(tokens);
  }

  /**
   * The status class of an HTTP status: {@code 2xx}, {@code 4xx}, ...
   *
   * @param status the status
   * @return the outcome tag value
   */
  static String outcome(int status) {
    return (status / 100) + "xx";
  }
}
