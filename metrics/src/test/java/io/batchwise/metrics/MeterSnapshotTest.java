package io.batchwise.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MeterSnapshotTest {
  private final SimpleMeterRegistry registry =
      BatchwiseMetrics.configure(new SimpleMeterRegistry(SimpleConfig.DEFAULT, new MockClock()));

  private JsonNode meter(JsonNode root, String name) {
    for (JsonNode m : root.get("meters")) {
      if (m.get("name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no meter " + name + " in " + root);
  }

  @Test
  void writesEveryMeterWithItsTypeTagsAndValues() throws Exception {
    registry
        .counter(
            MeterNames.EMBED_INPUTS, MeterNames.TAG_PROVIDER, "openai", MeterNames.TAG_MODEL, "m")
        .increment(42);
    AtomicLong inFlight = new AtomicLong(3);
    Gauge.builder(MeterNames.JOB_IN_FLIGHT, inFlight, AtomicLong::get)
        .tag(MeterNames.TAG_JOB, "j")
        .register(registry);
    var timer = registry.timer(MeterNames.EMBED_CALL_LATENCY, MeterNames.TAG_OUTCOME, "success");
    for (int ms = 1; ms <= 100; ms++) {
      timer.record(Duration.ofMillis(ms));
    }

    JsonNode root = new ObjectMapper().readTree(MeterSnapshot.toJson(registry));

    JsonNode inputs = meter(root, MeterNames.EMBED_INPUTS);
    assertThat(inputs.get("type").asText()).isEqualTo("counter");
    assertThat(inputs.get("count").asDouble()).isEqualTo(42);
    assertThat(inputs.get("tags").get("provider").asText()).isEqualTo("openai");
    assertThat(meter(root, MeterNames.JOB_IN_FLIGHT).get("value").asDouble()).isEqualTo(3);
    JsonNode latency = meter(root, MeterNames.EMBED_CALL_LATENCY);
    assertThat(latency.get("type").asText()).isEqualTo("timer");
    assertThat(latency.get("count").asLong()).isEqualTo(100);
    assertThat(latency.get("totalMs").asDouble()).isEqualTo(5050);
    assertThat(latency.get("maxMs").asDouble()).isEqualTo(100);
    assertThat(latency.get("meanMs").asDouble()).isEqualTo(50.5);
    assertThat(latency.get("percentilesMs").get("0.5").asDouble()).isBetween(49.0, 52.0);
    assertThat(latency.get("percentilesMs").get("0.99").asDouble()).isBetween(98.0, 101.0);
  }

  @Test
  void sortsMetersByNameAndWritesNullForValuesThatAreNotNumbers() throws Exception {
    registry.counter("b.second").increment();
    registry.counter("a.first").increment();
    Gauge.builder("c.empty", () -> Double.NaN).register(registry);

    JsonNode root = new ObjectMapper().readTree(MeterSnapshot.toJson(registry));

    List<String> names = new ArrayList<>();
    root.get("meters").forEach(m -> names.add(m.get("name").asText()));
    assertThat(names).containsExactly("a.first", "b.second", "c.empty");
    assertThat(meter(root, "c.empty").get("value").isNull()).isTrue();
  }
}
