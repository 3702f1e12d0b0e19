package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The JSON report, written with Jackson's streaming writer. */
class EmbedReportTest {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Test
  @DisplayName(
      "every field in order, latencies nested, and the text Jackson's indenting mapper writes")
  void fieldsInOrderAndIndented() throws IOException {
    EmbedReport report =
        new EmbedReport(
            "local",
            "all-MiniLM-L6-v2",
            311,
            300,
            2,
            250,
            7,
            1,
            3,
            4096,
            5,
            1.25,
            12.5,
            40.0,
            41.75);
    String json = report.toJson();

    JsonNode tree = MAPPER.readTree(json);
    List<String> names = new ArrayList<>();
    tree.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "provider",
            "model",
            "inputs",
            "uniqueInputs",
            "skipped",
            "cacheHits",
            "providerCalls",
            "retries",
            "failures",
            "tokens",
            "truncated",
            "embedSeconds",
            "inputsPerSecond",
            "callLatencyMillis");
    assertThat(tree.get("provider").textValue()).isEqualTo("local");
    assertThat(tree.get("model").textValue()).isEqualTo("all-MiniLM-L6-v2");
    assertThat(tree.get("inputs").longValue()).isEqualTo(311);
    assertThat(tree.get("uniqueInputs").longValue()).isEqualTo(300);
    assertThat(tree.get("skipped").longValue()).isEqualTo(2);
    assertThat(tree.get("cacheHits").longValue()).isEqualTo(250);
    assertThat(tree.get("providerCalls").longValue()).isEqualTo(7);
    assertThat(tree.get("retries").longValue()).isEqualTo(1);
    assertThat(tree.get("failures").longValue()).isEqualTo(3);
    assertThat(tree.get("tokens").longValue()).isEqualTo(4096);
    assertThat(tree.get("truncated").longValue()).isEqualTo(5);
    assertThat(tree.get("embedSeconds").doubleValue()).isEqualTo(1.25);
    assertThat(tree.get("inputsPerSecond").doubleValue()).isEqualTo(report.inputsPerSecond());
    assertThat(tree.get("callLatencyMillis").get("p50").doubleValue()).isEqualTo(12.5);
    assertThat(tree.get("callLatencyMillis").get("p95").doubleValue()).isEqualTo(40.0);
    assertThat(tree.get("callLatencyMillis").get("p99").doubleValue()).isEqualTo(41.75);
    // the same text, byte for byte, as the indenting ObjectMapper the report used to be written
    // with
    assertThat(json).isEqualTo(MAPPER.writeValueAsString(tree) + "\n");
  }

  @Test
  @DisplayName("latencies of a job that made no call are null, not NaN (which JSON cannot hold)")
  void noCallsMeansNullLatencies() throws IOException {
    EmbedReport report =
        new EmbedReport(
            "local", "m", 3, 3, 0, 3, 0, 0, 0, 0, 0, 0.5, Double.NaN, Double.NaN, Double.NaN);
    JsonNode latency = MAPPER.readTree(report.toJson()).get("callLatencyMillis");
    assertThat(latency.get("p50").isNull()).isTrue();
    assertThat(latency.get("p95").isNull()).isTrue();
    assertThat(latency.get("p99").isNull()).isTrue();
    assertThat(latency.size()).isEqualTo(3);
  }
}
