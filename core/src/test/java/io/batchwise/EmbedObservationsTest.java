package io.batchwise;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.meters.MeterNames;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.InputType;
import io.batchwise.testing.FakeEmbeddingProvider;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Every embed is one {@code batchwise.embed} observation and every provider call attempt one {@code
 * batchwise.embed.call} observation under it, recorded to Micrometer's test registry (a real {@link
 * ObservationRegistry} that keeps what it saw).
 */
class EmbedObservationsTest {

  private static List<String> texts(int n) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add("text " + i);
    }
    return texts;
  }

  private static Batchwise build(
      FakeEmbeddingProvider provider, ObservationRegistry observations, EmbeddingCache cache) {
    Batchwise.Builder b =
        Batchwise.builder()
            .provider(provider)
            .observationRegistry(observations)
            .option("coalesce-window", "0ms");
    if (cache != null) {
      b.cache(cache);
    }
    return b.build();
  }

  private static Predicate<Observation.ContextView> named(String name) {
    return c -> name.equals(c.getName());
  }

  @Test
  void anEmbedIsOneObservationUnderTheCallersAndEachCallAttemptAChildOfIt() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    FakeEmbeddingProvider provider =
        FakeEmbeddingProvider.small().failTransiently("text 3"::equals, 1);
    List<String> texts = new ArrayList<>(texts(20));
    texts.addAll(List.of("text 0", "text 1")); // duplicates: 22 inputs, 20 distinct
    EmbedResult result;
    try (Batchwise bw = build(provider, observations, null)) {
      result =
          Observation.createNotStarted("web.request", observations)
              .observe(() -> bw.embedder().embedAll(texts));
    }
    assertThat(result.allSucceeded()).isTrue();
    // 20 one-token texts, 16 per call: two calls, the one holding "text 3" tried twice
    assertThat(provider.calls).hasSize(3);
    assertThat(result.usage().retries()).isEqualTo(1);

    TestObservationRegistryAssert.assertThat(observations)
        .hasNumberOfObservationsWithNameEqualTo(MeterNames.OBSERVATION_EMBED, 1)
        .hasNumberOfObservationsWithNameEqualTo(MeterNames.OBSERVATION_CALL, 3)
        .hasObservationWithNameEqualTo(MeterNames.OBSERVATION_EMBED)
        .that()
        .hasBeenStarted()
        .hasBeenStopped()
        .doesNotHaveError()
        .hasParentObservationContextMatching(named("web.request"))
        .hasLowCardinalityKeyValue(MeterNames.TAG_PROVIDER, "fake")
        .hasLowCardinalityKeyValue(MeterNames.TAG_MODEL, "fake-model")
        .hasLowCardinalityKeyValue(MeterNames.KEY_INPUT_TYPE, "document")
        .hasHighCardinalityKeyValue(MeterNames.KEY_INPUTS, "22")
        .hasHighCardinalityKeyValue(MeterNames.KEY_TOKENS, Long.toString(result.usage().tokens()))
        .hasHighCardinalityKeyValue(MeterNames.KEY_CACHE_HITS, "0")
        .hasHighCardinalityKeyValue(MeterNames.KEY_CALLS, "3")
        .hasHighCardinalityKeyValue(MeterNames.KEY_RETRIES, "1")
        .hasHighCardinalityKeyValue(MeterNames.KEY_FAILED, "0");
    assertThat(result.usage().tokens()).isEqualTo(40); // "text i" is two whitespace tokens

    TestObservationRegistryAssert.assertThat(observations)
        .forAllObservationsWithNameEqualTo(
            MeterNames.OBSERVATION_CALL,
            call ->
                call.hasParentObservationContextMatching(named(MeterNames.OBSERVATION_EMBED))
                    .hasContextualNameEqualTo("embeddings fake-model")
                    .hasLowCardinalityKeyValue(MeterNames.TAG_PROVIDER, "fake")
                    .hasLowCardinalityKeyValue(MeterNames.TAG_MODEL, "fake-model")
                    .hasLowCardinalityKeyValue(MeterNames.GEN_AI_OPERATION_NAME, "embeddings")
                    .hasLowCardinalityKeyValue(MeterNames.GEN_AI_PROVIDER_NAME, "fake")
                    .hasLowCardinalityKeyValue(MeterNames.GEN_AI_REQUEST_MODEL, "fake-model")
                    .hasHighCardinalityKeyValueWithKey(MeterNames.KEY_INPUTS)
                    .hasHighCardinalityKeyValueWithKey(MeterNames.KEY_TOKENS));
    TestObservationRegistryAssert.assertThat(observations)
        .hasHandledContextsThatSatisfy(
            contexts -> {
              List<Observation.Context> calls =
                  contexts.stream()
                      .filter(c -> c.getName().equals(MeterNames.OBSERVATION_CALL))
                      .toList();
              // the inputs of the answered calls add up to the embed's distinct inputs: 16 + 4
              long answered =
                  calls.stream()
                      .filter(c -> c.getError() == null)
                      .mapToLong(c -> Long.parseLong(value(c, MeterNames.KEY_INPUTS)))
                      .sum();
              assertThat(answered).isEqualTo(20);
              assertThat(
                      calls.stream()
                          .filter(c -> c.getError() == null)
                          .mapToLong(c -> Long.parseLong(value(c, MeterNames.KEY_TOKENS)))
                          .sum())
                  .isEqualTo(40);
              // the failed attempt carries its error; its retry is attempt 2
              assertThat(calls)
                  .filteredOn(c -> c.getError() != null)
                  .singleElement()
                  .satisfies(c -> assertThat(value(c, MeterNames.KEY_ATTEMPT)).isEqualTo("1"));
              assertThat(calls)
                  .filteredOn(c -> "2".equals(value(c, MeterNames.KEY_ATTEMPT)))
                  .singleElement()
                  .satisfies(c -> assertThat(c.getError()).isNull());
            });
  }

  private static String value(Observation.Context c, String key) {
    return Objects.requireNonNull(c.getHighCardinalityKeyValue(key), key).getValue();
  }

  @Test
  void aSecondEmbedServedByTheCacheShowsItsHitsAndMakesNoCallObservations() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    try (Batchwise bw = build(provider, observations, new EmbedPipelineTest.MapCache())) {
      bw.embedder().embedAll(texts(5), InputType.QUERY);
      observations.clear();
      bw.embedder().embedAll(texts(5), InputType.QUERY);
    }
    TestObservationRegistryAssert.assertThat(observations)
        .hasNumberOfObservationsWithNameEqualTo(MeterNames.OBSERVATION_CALL, 0)
        .hasObservationWithNameEqualTo(MeterNames.OBSERVATION_EMBED)
        .that()
        .doesNotHaveParentObservation()
        .hasLowCardinalityKeyValue(MeterNames.KEY_INPUT_TYPE, "query")
        .hasHighCardinalityKeyValue(MeterNames.KEY_CACHE_HITS, "5")
        .hasHighCardinalityKeyValue(MeterNames.KEY_CALLS, "0")
        .hasHighCardinalityKeyValue(MeterNames.KEY_TOKENS, "0");
  }

  @Test
  void aCallThatFailsIsAnObservationWithItsErrorAndTheEmbedCountsTheFailedInputs() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    FakeEmbeddingProvider provider =
        FakeEmbeddingProvider.small().failCallsContaining("text 1"::equals);
    try (Batchwise bw = build(provider, observations, null)) {
      EmbedResult result = bw.embedder().embedAll(texts(3));
      assertThat(result.failures()).hasSize(3);
    }
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo(MeterNames.OBSERVATION_CALL)
        .that()
        .hasError()
        .hasParentObservationContextMatching(named(MeterNames.OBSERVATION_EMBED));
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo(MeterNames.OBSERVATION_EMBED)
        .that()
        .doesNotHaveError() // the embed itself completed: each input has its outcome
        .hasHighCardinalityKeyValue(MeterNames.KEY_FAILED, "3");
  }

  @Test
  void withoutAnObservationRegistryTheInstanceUsesTheNoopOne() {
    try (Batchwise bw = Batchwise.builder().provider(FakeEmbeddingProvider.small()).build()) {
      assertThat(bw.observationRegistry()).isSameAs(ObservationRegistry.NOOP);
      assertThat(bw.embedder().embedAll(texts(2)).allSucceeded()).isTrue();
    }
  }
}
