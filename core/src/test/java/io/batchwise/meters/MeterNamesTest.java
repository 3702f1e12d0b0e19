package io.batchwise.meters;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.testing.FakeEmbeddingProvider;
import io.batchwise.testkit.MeterDocs;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What core registers is what {@link MeterNames} documents, and no timer publishes percentiles of
 * its own.
 */
class MeterNamesTest {

  private static final MeterDocs DOCS = MeterDocs.read(Path.of(""));

  @Test
  void everyMeterCoreRegistersIsDocumentedWithItsKindTagsAndUnit() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FakeEmbeddingProvider provider =
        FakeEmbeddingProvider.small()
            .failTransiently("retry me"::equals, 1)
            .failCallsContaining("poison"::equals);
    List<String> texts = new ArrayList<>(List.of("retry me", "a b c"));
    EmbedResult ok;
    EmbedResult bad;
    try (Batchwise bw =
        Batchwise.builder()
            .provider(provider)
            .meterRegistry(registry)
            .option("coalesce-window", "0ms")
            .build()) {
      ok = bw.embedder().embedAll(texts);
      bad = bw.embedder().embedAll(List.of("poison"));
    }
    assertThat(ok.allSucceeded()).isTrue();
    assertThat(bad.failures()).hasSize(1);

    Set<String> registered = DOCS.check(registry);

    // and the documentation lists no meter core does not register (the cache module, the HTTP
    // provider and its server-reported tokens, prompt and completion, register the others)
    Set<String> elsewhere =
        DOCS.meters().keySet().stream()
            .filter(
                n ->
                    n.startsWith("batchwise.cache.")
                        || n.startsWith("batchwise.http.")
                        || n.equals(MeterNames.TOKENS_PROMPT)
                        || n.equals(MeterNames.TOKENS_COMPLETION))
            .collect(Collectors.toSet());
    assertThat(registered)
        .containsAll(DOCS.meters().keySet().stream().filter(n -> !elsewhere.contains(n)).toList());
    assertThat(DOCS.meters())
        .containsKeys(
            MeterNames.GEN_AI_OPERATION_DURATION,
            MeterNames.GEN_AI_TOKEN_USAGE,
            MeterNames.EMBED_CALL_LATENCY,
            MeterNames.HTTP_RESPONSE_BYTES);
    assertThat(DOCS.meters().get(MeterNames.HTTP_RESPONSE_BYTES).baseUnit()).isEqualTo("bytes");
  }

  @Test
  void coreTimersPublishNoPercentilesARegistryAddsThemWithAMeterFilter() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Batchwise bw =
        Batchwise.builder()
            .provider(FakeEmbeddingProvider.small())
            .meterRegistry(registry)
            .option("coalesce-window", "0ms")
            .build()) {
      bw.embedder().embedAll(List.of("one", "two"));
    }
    List<Timer> timers =
        registry.getMeters().stream()
            .filter(
                m ->
                    m.getId().getType() == Meter.Type.TIMER
                        && m.getId().getName().startsWith("batchwise."))
            .map(Timer.class::cast)
            .toList();
    assertThat(timers)
        .extracting(t -> t.getId().getName())
        .contains(
            MeterNames.EMBED_LATENCY, MeterNames.EMBED_CALL_LATENCY, MeterNames.JOB_BATCH_LATENCY);
    assertThat(timers)
        .allSatisfy(
            t ->
                assertThat(t.takeSnapshot().percentileValues())
                    .as("percentiles of %s", t.getId())
                    .isEmpty());
  }
}
