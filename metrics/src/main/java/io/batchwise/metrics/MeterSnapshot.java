package io.batchwise.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Every meter of a registry as JSON, for tools that do not speak Prometheus and for saving a run's
 * figures beside its output.
 *
 * <p>Shape: {@code {"meters": [{"name", "type", "tags": {...}, "baseUnit", "description", ...}]}},
 * sorted by name and tags. Counters have {@code count}; gauges {@code value}; timers {@code count},
 * {@code totalMs}, {@code meanMs}, {@code maxMs} and {@code percentilesMs} (e.g. {@code "0.95":
 * 12.5}, when the timer publishes percentiles); distribution summaries the same without the unit;
 * other meters {@code measurements} by statistic. Values that are not numbers (an empty gauge) are
 * {@code null}. Thread-safe.
 */
public final class MeterSnapshot {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MeterSnapshot() {}

  /**
   * The registry's meters as a JSON string.
   *
   * @param registry the registry
   * @return compact JSON
   */
  public static String toJson(MeterRegistry registry) {
    try {
      return MAPPER.writeValueAsString(toTree(registry));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The registry's meters as a JSON tree.
   *
   * @param registry the registry
   * @return a new tree
   */
  public static ObjectNode toTree(MeterRegistry registry) {
    List<Meter> meters = new ArrayList<>(registry.getMeters());
    meters.sort(
        Comparator.comparing((Meter m) -> m.getId().getName())
            .thenComparing(m -> m.getId().getTags().toString()));
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode array = root.putArray("meters");
    for (Meter meter : meters) {
      array.add(toNode(meter));
    }
    return root;
  }

  private static ObjectNode toNode(Meter meter) {
    Meter.Id id = meter.getId();
    ObjectNode node = MAPPER.createObjectNode();
    node.put("name", id.getName());
    node.put("type", id.getType().name().toLowerCase(Locale.ROOT));
    ObjectNode tags = node.putObject("tags");
    for (Tag t : id.getTagsAsIterable()) {
      tags.put(t.getKey(), t.getValue());
    }
    if (id.getBaseUnit() != null) {
      node.put("baseUnit", id.getBaseUnit());
    }
    if (id.getDescription() != null) {
      node.put("description", id.getDescription());
    }
    meter.use(
        gauge -> number(node, "value", gauge.value()),
        counter -> number(node, "count", counter.count()),
        timer -> distribution(node, timer.takeSnapshot(), true),
        summary -> distribution(node, summary.takeSnapshot(), false),
        longTask -> {
          node.put("active", longTask.activeTasks());
          number(node, "durationMs", longTask.duration(TimeUnit.MILLISECONDS));
        },
        timeGauge -> number(node, "valueMs", timeGauge.value(TimeUnit.MILLISECONDS)),
        functionCounter -> number(node, "count", functionCounter.count()),
        functionTimer -> {
          number(node, "count", functionTimer.count());
          number(node, "totalMs", functionTimer.totalTime(TimeUnit.MILLISECONDS));
          number(node, "meanMs", functionTimer.mean(TimeUnit.MILLISECONDS));
        },
        other -> {
          ObjectNode m = node.putObject("measurements");
          for (Measurement x : other.measure()) {
            number(m, x.getStatistic().getTagValueRepresentation(), x.getValue());
          }
        });
    return node;
  }

  private static void distribution(ObjectNode node, HistogramSnapshot s, boolean time) {
    String unit = time ? "Ms" : "";
    node.put("count", s.count());
    number(node, "total" + unit, time ? s.total(TimeUnit.MILLISECONDS) : s.total());
    number(node, "mean" + unit, time ? s.mean(TimeUnit.MILLISECONDS) : s.mean());
    number(node, "max" + unit, time ? s.max(TimeUnit.MILLISECONDS) : s.max());
    ValueAtPercentile[] percentiles = s.percentileValues();
    if (percentiles.length > 0) {
      ObjectNode p = node.putObject("percentiles" + unit);
      for (ValueAtPercentile v : percentiles) {
        number(p, percentileKey(v.percentile()), time ? v.value(TimeUnit.MILLISECONDS) : v.value());
      }
    }
  }

  static String percentileKey(double percentile) {
    String s = Double.toString(percentile);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  private static void number(ObjectNode node, String field, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
