package io.batchwise.benchmarks.jmh;

import io.batchwise.benchmarks.BenchmarkMain;
import io.batchwise.scheduler.Packers;
import io.batchwise.spi.ModelInfo;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Packing the token counts of {@code texts} texts into provider calls, as the embed pipeline does:
 * {@code SINGLE_CALL} (in order, up to 2,048 inputs and 300,000 tokens per call, the OpenAI limits)
 * and {@code PARALLEL_GATHER} (sorted by length, up to 64 rows and 8,192 token positions per
 * micro-batch). Token counts are mixed: a third short (5–20), a third sentences (20–60), a third
 * chunks (150–256). One operation packs all texts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = "-Dlogback.configurationFile=" + BenchmarkMain.LOGGING_CONFIGURATION)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PackingBenchmark {
  /** How many texts one operation packs. */
  @Param({"1000", "100000"})
  public int texts;

  private int[] tokens;

  /** Creates the state; JMH calls {@link #setUp()}. */
  public PackingBenchmark() {}

  /** Draws the token counts. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(13);
    tokens = new int[texts];
    for (int i = 0; i < texts; i++) {
      tokens[i] =
          switch (random.nextInt(3)) {
            case 0 -> 5 + random.nextInt(16);
            case 1 -> 20 + random.nextInt(41);
            default -> 150 + random.nextInt(107);
          };
    }
  }

  /**
   * The {@code SINGLE_CALL} packer.
   *
   * @return the calls
   */
  @Benchmark
  public List<int[]> singleCall() {
    return Packers.singleCall(tokens, 2048, 300_000);
  }

  /**
   * The {@code PARALLEL_GATHER} packer.
   *
   * @return the micro-batches
   */
  @Benchmark
  public List<int[]> parallelGather() {
    return Packers.parallelGather(tokens, 64, ModelInfo.NO_LIMIT, 8192);
  }
}
