package io.batchwise.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.search.Search;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The end-of-job report: items and their outcomes, throughput, batch latency percentiles, cache hit
 * rate, retries, failures and tokens — read from a registry's meters, printable as text and JSON.
 * Immutable.
 *
 * <p>Definitions:
 *
 * <ul>
 *   <li>{@code items}: results of the job(s) ({@code batchwise.job.items}, every outcome); for the
 *       embedder's job ({@code embed}) an item is one provider call, and {@code inputs} counts
 *       texts.
 *   <li>{@code elapsed}: as given, else the jobs' total duration ({@code batchwise.job.duration}).
 *   <li>{@code itemsPerSecond}, {@code inputsPerSecond}: per second of {@code elapsed}; 0 when no
 *       time passed.
 *   <li>{@code p50}, {@code p95}, {@code p99}: latency of successful batch attempts ({@code
 *       batchwise.job.batch.latency}, outcome {@code success}); null when the timer publishes no
 *       percentiles (see {@link BatchwiseMetrics#percentiles()}). With several jobs, the highest of
 *       their values, so the report never understates latency.
 *   <li>{@code cacheHitRate}: hits / (hits + misses) of {@code batchwise.cache.*}; NaN when there
 *       was no lookup.
 *   <li>{@code failures}: items that failed; {@code inputFailures}: texts that failed ({@code
 *       batchwise.embed.failures}).
 *   <li>{@code tokens}: tokens of the batches started ({@code batchwise.job.tokens}).
 * </ul>
 *
 * <pre>{@code
 * JobReport report = JobReport.from(batchwise.meterRegistry(), "embed");
 * System.out.println(report.toText());
 * }</pre>
 *
 * @param job the job name reported on, or {@code *} for every job
 * @param items items with a result
 * @param succeeded items that succeeded
 * @param failures items that failed
 * @param cancelled items cancelled
 * @param skipped items skipped by a budget
 * @param inputs texts given to the embedder
 * @param inputFailures texts that failed to embed
 * @param elapsed the time the figures cover
 * @param itemsPerSecond items per second of {@code elapsed}
 * @param inputsPerSecond texts per second of {@code elapsed}
 * @param batches successful batch attempts timed
 * @param p50 median batch latency, or null
 * @param p95 95th percentile batch latency, or null
 * @param p99 99th percentile batch latency, or null
 * @param cacheHits cache lookups that hit
 * @param cacheMisses cache lookups that missed
 * @param cacheHitRate hits / lookups, NaN without lookups
 * @param retries batch retries
 * @param timeouts batch attempts that timed out
 * @param tokens tokens sent
 */
public record JobReport(
    String job,
    long items,
    long succeeded,
    long failures,
    long cancelled,
    long skipped,
    long inputs,
    long inputFailures,
    Duration elapsed,
    double itemsPerSecond,
    double inputsPerSecond,
    long batches,
    Duration p50,
    Duration p95,
    Duration p99,
    long cacheHits,
    long cacheMisses,
    double cacheHitRate,
    long retries,
    long timeouts,
    long tokens) {

  /** Reports on every job. */
  public static final String ALL_JOBS = "*";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Checks the required parts. */
  public JobReport {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * A report over every job recorded in a registry.
   *
   * @param registry the registry
   * @return the report
   */
  public static JobReport from(MeterRegistry registry) {
    return from(registry, ALL_JOBS, null);
  }

  /**
   * A report over the jobs of one name.
   *
   * @param registry the registry
   * @param job the job name ({@code JobOptions.name()}), or {@link #ALL_JOBS}
   * @return the report
   */
  public static JobReport from(MeterRegistry registry, String job) {
    return from(registry, job, null);
  }

  /**
   * A report over the jobs of one name, for a wall-clock time the caller measured.
   *
   * @param registry the registry
   * @param job the job name, or {@link #ALL_JOBS}
   * @param elapsed the run's wall-clock time, or null to use the jobs' recorded duration
   * @return the report
   */
  public static JobReport from(MeterRegistry registry, String job, Duration elapsed) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(job, "job");
    long succeeded = items(registry, job, "succeeded");
    long failed = items(registry, job, "failed");
    long cancelled = items(registry, job, "cancelled");
    long skipped = items(registry, job, "skipped");
    long items = succeeded + failed + cancelled + skipped;
    long inputs = (long) sum(registry.find(MeterNames.EMBED_INPUTS).counters());
    long inputFailures = (long) sum(registry.find(MeterNames.EMBED_FAILURES).counters());
    Duration time = elapsed != null ? elapsed : recordedDuration(registry, job);
    double seconds = time.toNanos() / 1e9;
    Collection<Timer> latency =
        forJob(registry.find(MeterNames.JOB_BATCH_LATENCY), job)
            .tag(MeterNames.TAG_OUTCOME, "success")
            .timers();
    long batches = latency.stream().mapToLong(Timer::count).sum();
    long hits = (long) sum(registry.find(MeterNames.CACHE_HITS).counters());
    long misses = (long) sum(registry.find(MeterNames.CACHE_MISSES).counters());
    return new JobReport(
        job,
        items,
        succeeded,
        failed,
        cancelled,
        skipped,
        inputs,
        inputFailures,
        time,
        seconds > 0 ? items / seconds : 0,
        seconds > 0 ? inputs / seconds : 0,
        batches,
        percentile(latency, 0.5),
        percentile(latency, 0.95),
        percentile(latency, 0.99),
        hits,
        misses,
        hits + misses == 0 ? Double.NaN : hits / (double) (hits + misses),
        (long) sum(forJob(registry.find(MeterNames.JOB_RETRIES), job).counters()),
        (long) sum(forJob(registry.find(MeterNames.JOB_TIMEOUTS), job).counters()),
        (long) sum(forJob(registry.find(MeterNames.JOB_TOKENS), job).counters()));
  }

  private static Search forJob(Search search, String job) {
    return ALL_JOBS.equals(job) ? search : search.tag(MeterNames.TAG_JOB, job);
  }

  private static long items(MeterRegistry registry, String job, String outcome) {
    return (long)
        sum(
            forJob(registry.find(MeterNames.JOB_ITEMS), job)
                .tag(MeterNames.TAG_OUTCOME, outcome)
                .counters());
  }

  private static double sum(Collection<Counter> counters) {
    return counters.stream().mapToDouble(Counter::count).sum();
  }

  private static Duration recordedDuration(MeterRegistry registry, String job) {
    double nanos =
        forJob(registry.find(MeterNames.JOB_DURATION), job).timers().stream()
            .mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS))
            .sum();
    return Duration.ofNanos((long) nanos);
  }

  private static Duration percentile(Collection<Timer> timers, double p) {
    Duration worst = null;
    for (Timer t : timers) {
      if (t.count() == 0) {
        continue;
      }
      for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
        if (Math.abs(v.percentile() - p) < 1e-9) {
          Duration d = Duration.ofNanos((long) v.value(TimeUnit.NANOSECONDS));
          worst = worst == null || d.compareTo(worst) > 0 ? d : worst;
        }
      }
    }
    return worst;
  }

  /**
   * The report as aligned lines of text, for a terminal.
   *
   * @return the text, ending with a newline
   */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append("Batchwise job report (job: ")
        .append(ALL_JOBS.equals(job) ? "all" : job)
        .append(")\n");
    line(
        b,
        "items",
        count(items)
            + "  (succeeded "
            + count(succeeded)
            + ", failed "
            + count(failures)
            + ", cancelled "
            + count(cancelled)
            + ", skipped "
            + count(skipped)
            + ")");
    if (inputs > 0 || inputFailures > 0) {
      line(b, "inputs", count(inputs) + "  (failed " + count(inputFailures) + ")");
    }
    line(b, "elapsed", seconds(elapsed));
    line(
        b,
        "throughput",
        String.format(Locale.ROOT, "%,.1f items/s", itemsPerSecond)
            + (inputs > 0 ? String.format(Locale.ROOT, ", %,.1f inputs/s", inputsPerSecond) : ""));
    line(
        b,
        "latency",
        p50 == null
            ? "n/a ("
                + count(batches)
                + " batches; no percentiles published, see BatchwiseMetrics.percentiles())"
            : "p50 "
                + millis(p50)
                + ", p95 "
                + millis(p95)
                + ", p99 "
                + millis(p99)
                + " ("
                + count(batches)
                + " batches)");
    line(
        b,
        "cache",
        Double.isNaN(cacheHitRate)
            ? "no lookups"
            : String.format(Locale.ROOT, "hit rate %.1f%%", cacheHitRate * 100)
                + " ("
                + count(cacheHits)
                + " hits, "
                + count(cacheMisses)
                + " misses)");
    line(b, "retries", count(retries) + "  (timeouts " + count(timeouts) + ")");
    line(
        b,
        "failures",
        count(failures) + (inputs > 0 ? " items, " + count(inputFailures) + " inputs" : ""));
    line(b, "tokens", count(tokens));
    return b.toString();
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append("  ").append(String.format(Locale.ROOT, "%-11s", label)).append(value).append('\n');
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }

  /**
   * The report as a JSON tree; durations in milliseconds, an unknown figure as {@code null}.
   *
   * @return a new tree
   */
  public ObjectNode toJsonTree() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("job", job);
    n.put("items", items);
    n.put("succeeded", succeeded);
    n.put("failures", failures);
    n.put("cancelled", cancelled);
    n.put("skipped", skipped);
    n.put("inputs", inputs);
    n.put("inputFailures", inputFailures);
    n.put("elapsedMs", elapsed.toNanos() / 1e6);
    n.put("itemsPerSecond", itemsPerSecond);
    n.put("inputsPerSecond", inputsPerSecond);
    ObjectNode latency = n.putObject("batchLatencyMs");
    latency.put("batches", batches);
    putMillis(latency, "p50", p50);
    putMillis(latency, "p95", p95);
    putMillis(latency, "p99", p99);
    ObjectNode cache = n.putObject("cache");
    cache.put("hits", cacheHits);
    cache.put("misses", cacheMisses);
    if (Double.isNaN(cacheHitRate)) {
      cache.putNull("hitRate");
    } else {
      cache.put("hitRate", cacheHitRate);
    }
    n.put("retries", retries);
    n.put("timeouts", timeouts);
    n.put("tokens", tokens);
    return n;
  }

  /**
   * The report as a JSON string.
   *
   * @return compact JSON
   */
  public String toJson() {
    try {
      return MAPPER.writeValueAsString(toJsonTree());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void putMillis(ObjectNode n, String field, Duration d) {
    if (d == null) {
      n.putNull(field);
    } else {
      n.put(field, d.toNanos() / 1e6);
    }
  }
}
