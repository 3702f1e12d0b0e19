package io.batchwise.benchmarks.jmh;

import io.batchwise.benchmarks.harness.FullModeOnly;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH micro-benchmarks of {@code io.batchwise.benchmarks.jmh} as a report section: runs them
 * all (one fork each, the warm-up and measurement set on each class) and renders one table per
 * class, with each row's speed-up over the class's {@link Baseline} method at the same parameters.
 *
 * <p>The whole suite takes minutes, so a quick run of the harness leaves it out unless {@code
 * --only jmh} names it; then it runs with one 0.5 s warm-up and two 0.5 s measurements per
 * benchmark. Run single benchmarks with the JMH command line: {@code java -jar
 * benchmarks/target/batchwise-benchmarks.jar jmh TokenCountBenchmark}.
 */
@FullModeOnly
public final class JmhSection implements MacroBenchmark {
  /** The benchmarks this section runs: every class of this package. */
  public static final String INCLUDE = "io\\.batchwise\\.benchmarks\\.jmh\\..*";

  /** Creates the section. */
  public JmhSection() {}

  @Override
  public String title() {
    return "JMH micro-benchmarks";
  }

  @Override
  public String run(boolean quick) throws Exception {
    Collection<RunResult> results = new Runner(options(quick).build()).run();
    return describe(quick) + render(results);
  }

  /**
   * The runner options this section uses.
   *
   * @param quick whether to shorten warm-up and measurement
   * @return options including every benchmark of this package, one fork each
   */
  public static ChainedOptionsBuilder options(boolean quick) {
    ChainedOptionsBuilder b =
        new OptionsBuilder().include(INCLUDE).forks(1).shouldFailOnError(true);
    if (quick) {
      b.warmupIterations(1)
          .warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(2)
          .measurementTime(TimeValue.milliseconds(500));
    }
    return b;
  }

  private static String describe(boolean quick) {
    return (quick
            ? "Quick run: one 0.5 s warm-up and two 0.5 s measurement iterations per benchmark, one fork. "
            : "One fork per benchmark; warm-up and measurement iterations as set on each class (2 × 1 s and 3 × 1 s). ")
        + "Scores are JMH's average time per operation with its 99.9% confidence half-width; "
        + "`× baseline` is the time of the class's baseline method with the same parameters divided by "
        + "the row's (above 1 = faster). Reproduce a class with "
        + "`java -jar benchmarks/target/batchwise-benchmarks.jar jmh CLASS`.\n\n";
  }

  /**
   * One Markdown table per benchmark class.
   *
   * @param results JMH's results
   * @return the tables
   */
  public static String render(Collection<RunResult> results) {
    Map<String, List<RunResult>> byClass = new TreeMap<>();
    for (RunResult r : results) {
      byClass.computeIfAbsent(className(r.getParams()), k -> new ArrayList<>()).add(r);
    }
    StringBuilder b = new StringBuilder();
    byClass.forEach(
        (cls, rows) -> {
          String simple = cls.substring(cls.lastIndexOf('.') + 1);
          Optional<String> baseline = baselineMethod(cls);
          b.append("### ").append(simple).append("\n\n");
          b.append("`java -jar benchmarks/target/batchwise-benchmarks.jar jmh ")
              .append(simple)
              .append("`")
              .append(baseline.map(m -> "; baseline: `" + m + "`").orElse(""))
              .append("\n\n");
          b.append(
              "| benchmark | parameters | score | ± error | unit | × baseline |\n|---|---|---:|---:|---|---:|\n");
          for (RunResult r : rows) {
            Result<?> p = r.getPrimaryResult();
            String method = method(r.getParams());
            String ratio =
                baseline
                    .flatMap(m -> baselineScore(rows, m, params(r.getParams())))
                    .map(s -> String.format(Locale.ROOT, "%.2f", s / p.getScore()))
                    .orElse("");
            b.append(
                String.format(
                    Locale.ROOT,
                    "| %s%s | %s | %s | %s | %s | %s |%n",
                    method,
                    baseline.filter(method::equals).isPresent() ? " (baseline)" : "",
                    params(r.getParams()).isEmpty() ? "" : "`" + params(r.getParams()) + "`",
                    number(p.getScore()),
                    number(p.getScoreError()),
                    p.getScoreUnit(),
                    ratio));
          }
          b.append('\n');
        });
    return b.toString();
  }

  private static Optional<Double> baselineScore(
      List<RunResult> rows, String baselineMethod, String params) {
    return rows.stream()
        .filter(
            r ->
                method(r.getParams()).equals(baselineMethod)
                    && params(r.getParams()).equals(params))
        .map(r -> r.getPrimaryResult().getScore())
        .findFirst();
  }

  private static Optional<String> baselineMethod(String className) {
    try {
      for (Method m : Class.forName(className).getMethods()) {
        if (m.isAnnotationPresent(Baseline.class)) {
          return Optional.of(m.getName());
        }
      }
    } catch (ClassNotFoundException e) {
      // a benchmark JMH ran must be loadable; without it there is just no ratio column
    }
    return Optional.empty();
  }

  private static String className(BenchmarkParams p) {
    String b = p.getBenchmark();
    return b.substring(0, b.lastIndexOf('.'));
  }

  private static String method(BenchmarkParams p) {
    String b = p.getBenchmark();
    return b.substring(b.lastIndexOf('.') + 1);
  }

  private static String params(BenchmarkParams p) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String k : p.getParamsKeys()) {
      values.put(k, p.getParam(k));
    }
    StringBuilder s = new StringBuilder();
    values.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return s.toString();
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    return String.format(
        Locale.ROOT, a >= 1000 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 0.1 ? "%.3f" : "%.5f", v);
  }
}
