package io.batchwise.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The end-of-job report of {@code embed} and {@code index}: printed on stderr and written as JSON
 * at {@code --report}. Immutable.
 *
 * @param provider the provider id
 * @param model the model id
 * @param inputs inputs read
 * @param uniqueInputs distinct texts among them, counted within each window of {@code
 *     stream-window} inputs and summed (a text repeated in another window is counted there again,
 *     and answered by the cache if there is one)
 * @param skipped inputs skipped while reading (invalid JSONL lines, files that are not text)
 * @param cacheHits distinct texts answered by the cache (counted like {@code uniqueInputs})
 * @param providerCalls provider call attempts, retries included
 * @param retries provider call retries
 * @param failures inputs without a vector
 * @param tokens tokens sent to the provider
 * @param truncated inputs cut to the per-input token limit
 * @param embedSeconds wall time of the embedding
 * @param p50Millis median provider call latency, or NaN when no call was made
 * @param p95Millis 95th percentile call latency, or NaN
 * @param p99Millis 99th percentile call latency, or NaN
 */
public record EmbedReport(
    String provider,
    String model,
    long inputs,
    long uniqueInputs,
    long skipped,
    long cacheHits,
    long providerCalls,
    long retries,
    long failures,
    long tokens,
    long truncated,
    double embedSeconds,
    double p50Millis,
    double p95Millis,
    double p99Millis) {

  /**
   * Jackson's streaming writer, not its {@code ObjectMapper}: the report is a flat object, and
   * initialising the mapper builds a default date format (locale data, calendar, time zone), a
   * large part of a cached rerun's start-up.
   */
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Builds the report from what a job handed on and what the instance's meters recorded over its
   * embeds (unique inputs, cache hits, provider calls, retries, tokens, truncations, call
   * latencies).
   *
   * @param provider the provider id
   * @param model the model id
   * @param totals inputs and failures, counted over every input's outcome
   * @param skipped inputs skipped while reading
   * @param seconds wall time
   * @param registry the instance's meter registry, which recorded only this job
   * @return the report
   */
  static EmbedReport of(
      String provider,
      String model,
      StreamedEmbedding.Totals totals,
      long skipped,
      double seconds,
      MeterRegistry registry) {
    double[] p = {Double.NaN, Double.NaN, Double.NaN};
    Timer timer =
        registry.find(MeterNames.EMBED_CALL_LATENCY).tag(MeterNames.TAG_OUTCOME, "success").timer();
    if (timer != null && timer.count() > 0) {
      for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
        int slot =
            v.percentile() == 0.5
                ? 0
                : v.percentile() == 0.95 ? 1 : v.percentile() == 0.99 ? 2 : -1;
        if (slot >= 0) {
          p[slot] = v.value(TimeUnit.MILLISECONDS);
        }
      }
    }
    return new EmbedReport(
        provider,
        model,
        totals.inputs(),
        count(registry, MeterNames.EMBED_UNIQUE_INPUTS),
        skipped,
        count(registry, MeterNames.EMBED_CACHE_HITS),
        count(registry, MeterNames.EMBED_CALLS),
        count(registry, MeterNames.JOB_RETRIES),
        totals.failures(),
        count(registry, MeterNames.TOKENS),
        count(registry, MeterNames.EMBED_TRUNCATIONS),
        seconds,
        p[0],
        p[1],
        p[2]);
  }

  /** A counter summed over its tags. */
  private static long count(MeterRegistry registry, String name) {
    double sum = 0;
    for (Counter c : registry.find(name).counters()) {
      sum += c.count();
    }
    return Math.round(sum);
  }

  /**
   * Inputs per second over the embedding.
   *
   * @return the rate, 0 when no time passed
   */
  public double inputsPerSecond() {
    return embedSeconds <= 0 ? 0 : inputs / embedSeconds;
  }

  /**
   * The report as aligned lines for a terminal.
   *
   * @return the text, ending with a newline
   */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append("batchwise report (").append(provider).append('/').append(model).append(")\n");
    line(b, "inputs", Long.toString(inputs));
    line(b, "unique inputs", Long.toString(uniqueInputs));
    if (skipped > 0) {
      line(b, "skipped", Long.toString(skipped));
    }
    line(
        b,
        "cache hits",
        cacheHits
            + String.format(
                Locale.ROOT,
                " (%.1f%%)",
                uniqueInputs == 0 ? 0.0 : 100.0 * cacheHits / uniqueInputs));
    line(b, "provider calls", Long.toString(providerCalls));
    line(b, "retries", Long.toString(retries));
    line(b, "failures", Long.toString(failures));
    line(b, "tokens", Long.toString(tokens));
    if (truncated > 0) {
      line(b, "truncated", Long.toString(truncated));
    }
    line(
        b,
        "embed seconds",
        String.format(Locale.ROOT, "%.3f (%.1f inputs/s)", embedSeconds, inputsPerSecond()));
    line(
        b,
        "call latency",
        Double.isNaN(p50Millis)
            ? "no calls"
            : String.format(
                Locale.ROOT,
                "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms",
                p50Millis,
                p95Millis,
                p99Millis));
    return b.toString();
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append(String.format(Locale.ROOT, "  %-15s %s%n", label, value));
  }

  /**
   * The report as a JSON object.
   *
   * @return the JSON text
   */
  public String toJson() {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text).useDefaultPrettyPrinter()) {
      g.writeStartObject();
      g.writeStringField("provider", provider);
      g.writeStringField("model", model);
      g.writeNumberField("inputs", inputs);
      g.writeNumberField("uniqueInputs", uniqueInputs);
      g.writeNumberField("skipped", skipped);
      g.writeNumberField("cacheHits", cacheHits);
      g.writeNumberField("providerCalls", providerCalls);
      g.writeNumberField("retries", retries);
      g.writeNumberField("failures", failures);
      g.writeNumberField("tokens", tokens);
      g.writeNumberField("truncated", truncated);
      g.writeNumberField("embedSeconds", embedSeconds);
      g.writeNumberField("inputsPerSecond", inputsPerSecond());
      g.writeObjectFieldStart("callLatencyMillis");
      writeNumber(g, "p50", p50Millis);
      writeNumber(g, "p95", p95Millis);
      writeNumber(g, "p99", p99Millis);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return text + "\n";
  }

  private static void writeNumber(JsonGenerator g, String field, double v) throws IOException {
    if (Double.isNaN(v)) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, v);
    }
  }

  /**
   * Writes the JSON report, atomically.
   *
   * @param path where
   * @throws CliException an output error when it cannot be written
   */
  void writeJson(Path path) {
    writeText(path, toJson());
  }

  static void writeText(Path path, String text) {
    try (CommandOutput out = CommandOutput.open(path)) {
      try {
        out.stream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw CliException.output("cannot write " + path + ": " + e.getMessage());
      }
      out.commit();
    }
  }
}
