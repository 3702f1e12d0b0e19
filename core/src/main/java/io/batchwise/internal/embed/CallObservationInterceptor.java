package io.batchwise.internal.embed;

import io.batchwise.internal.concurrent.Failures;
import io.batchwise.meters.MeterNames;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One {@link MeterNames#OBSERVATION_CALL} observation per provider call attempt, a child of its
 * embed's observation, so that tracing shows each call under the embed that made it. Thread-safe.
 */
final class CallObservationInterceptor implements CallInterceptor {
  private final ObservationRegistry registry;
  private final String providerId;
  private final String model;

  CallObservationInterceptor(ObservationRegistry registry, String providerId, String model) {
    this.registry = registry;
    this.providerId = providerId;
    this.model = model;
  }

  @Override
  public CompletableFuture<List<float[]>> intercept(Chain chain) {
    CallInfo info = chain.info();
    Observation observation =
        Observation.createNotStarted(MeterNames.OBSERVATION_CALL, registry)
            .parentObservation(info.embed())
            .contextualName(MeterNames.GEN_AI_OPERATION_EMBEDDINGS + " " + model)
            .lowCardinalityKeyValue(MeterNames.TAG_PROVIDER, providerId)
            .lowCardinalityKeyValue(MeterNames.TAG_MODEL, model)
            .lowCardinalityKeyValue(
                MeterNames.GEN_AI_OPERATION_NAME, MeterNames.GEN_AI_OPERATION_EMBEDDINGS)
            .lowCardinalityKeyValue(MeterNames.GEN_AI_PROVIDER_NAME, providerId)
            .lowCardinalityKeyValue(MeterNames.GEN_AI_REQUEST_MODEL, model)
            .highCardinalityKeyValue(MeterNames.KEY_INPUTS, Integer.toString(chain.texts().size()))
            .highCardinalityKeyValue(MeterNames.KEY_TOKENS, Long.toString(info.tokens()))
            .highCardinalityKeyValue(MeterNames.KEY_ATTEMPT, Integer.toString(info.attempt()))
            .start();
    CompletableFuture<List<float[]>> vectors;
    // in scope while the call is handed on, so a provider's own instrumentation (an HTTP client's)
    // nests under it
    try (Observation.Scope scope = observation.openScope()) {
      vectors = chain.proceed(chain.texts());
    }
    return vectors.whenComplete(
        (v, e) -> {
          if (e != null) {
            observation.error(Failures.unwrap(e));
          }
          observation.stop();
        });
  }
}
