package io.batchwise.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.VerboseMode;

class JmhBenchmarksTest {
  /** Every benchmark class of the suite; each must have been processed by JMH's generator. */
  static final List<String> BENCHMARK_CLASSES =
      List.of(
          "io.batchwise.benchmarks.jmh.TokenCountBenchmark",
          "io.batchwise.benchmarks.jmh.PackingBenchmark",
          "io.batchwise.benchmarks.jmh.EmbeddingDecodeBenchmark",
          "io.batchwise.benchmarks.jmh.CacheGetPutBenchmark",
          "io.batchwise.benchmarks.jmh.VectorIndexSearchBenchmark");

  @Test
  @DisplayName("the annotation processor generated the benchmark list naming every benchmark class")
  void benchmarkListIsGenerated() throws Exception {
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
      assertThat(in).as("META-INF/BenchmarkList in the built classes").isNotNull();
      String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(list).contains(BENCHMARK_CLASSES);
    }
    for (String c : BENCHMARK_CLASSES) {
      String generated = c.replace(".jmh.", ".jmh.jmh_generated.") + "_jmhType";
      assertThat(Class.forName(generated)).as(generated).isNotNull();
    }
  }

  @Test
  @DisplayName(
      "every benchmark runs once in process, and the report compares each class with its baseline")
  void everyBenchmarkRunsOnceAndRenders() throws Exception {
    Collection<RunResult> results =
        new Runner(
                JmhSection.options(true)
                    .forks(0)
                    .mode(Mode.SingleShotTime)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .verbosity(VerboseMode.SILENT)
                    .build())
            .run();

    assertThat(results)
        .extracting(r -> r.getParams().getBenchmark())
        .contains(
            "io.batchwise.benchmarks.jmh.TokenCountBenchmark.jtokkitDirect",
            "io.batchwise.benchmarks.jmh.TokenCountBenchmark.registryCountCacheHit",
            "io.batchwise.benchmarks.jmh.PackingBenchmark.parallelGather",
            "io.batchwise.benchmarks.jmh.EmbeddingDecodeBenchmark.base64",
            "io.batchwise.benchmarks.jmh.EmbeddingDecodeBenchmark.base64JdkDecoder",
            "io.batchwise.benchmarks.jmh.CacheGetPutBenchmark.getAllHits",
            "io.batchwise.benchmarks.jmh.CacheGetPutBenchmark.putAll",
            "io.batchwise.benchmarks.jmh.VectorIndexSearchBenchmark.vectorIndex");
    assertThat(
            results.stream()
                .filter(
                    r -> r.getParams().getBenchmark().endsWith("CacheGetPutBenchmark.getAllHits"))
                .map(r -> r.getParams().getParam("backend")))
        .containsExactlyInAnyOrder("caffeine", "sqlite", "redis", "tiered-sqlite", "tiered-redis");
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    String md = JmhSection.render(results);
    assertThat(md)
        .contains(
            "### TokenCountBenchmark",
            "baseline: `jtokkitDirect`",
            "| jtokkitDirect (baseline) | `length=short` |",
            "### EmbeddingDecodeBenchmark",
            "| base64 | `inputs=256` |",
            "### VectorIndexSearchBenchmark",
            "| vectorIndex | `size=100000` |",
            "| getAllHits | `backend=redis` |");
    // the baseline row's ratio is itself over itself
    assertThat(md)
        .containsPattern(
            "\\| jsonFloats \\(baseline\\) \\| `inputs=16` \\| [^|]+ \\| [^|]+ \\| [^|]+ \\| 1\\.00 \\|");
  }
}
