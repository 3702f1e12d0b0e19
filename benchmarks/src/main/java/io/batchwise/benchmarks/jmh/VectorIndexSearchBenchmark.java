package io.batchwise.benchmarks.jmh;

import io.batchwise.benchmarks.BenchmarkMain;
import io.batchwise.index.SearchHit;
import io.batchwise.index.VectorIndex;
import java.util.List;
import java.util.PriorityQueue;
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
 * Top-10 cosine search over {@code size} random vectors of 384 dimensions: core's {@link
 * VectorIndex} (contiguous storage, scan split over the cores, bounded heap) against the
 * straightforward baseline a user would write (vectors as {@code float[][]}, normalized up front,
 * one thread, a size-k heap). Each operation searches the next of 64 random queries.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx2g",
      "-Dlogback.configurationFile=" + BenchmarkMain.LOGGING_CONFIGURATION
    })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class VectorIndexSearchBenchmark {
  private static final int DIMENSIONS = 384;
  private static final int QUERIES = 64;
  private static final int K = 10;

  /** Vectors in the index. */
  @Param({"10000", "100000"})
  public int size;

  private VectorIndex index;
  private float[][] rows;
  private float[][] queries;
  private int next;

  /** Creates the state; JMH calls {@link #setUp()}. */
  public VectorIndexSearchBenchmark() {}

  /** Fills the index and the baseline's rows with the same vectors, and checks they agree. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(29);
    index = VectorIndex.create(DIMENSIONS);
    rows = new float[size][];
    for (int i = 0; i < size; i++) {
      float[] v = gaussian(random);
      index.add("v" + i, v);
      rows[i] = normalized(v);
    }
    queries = new float[QUERIES][];
    for (int q = 0; q < QUERIES; q++) {
      queries[q] = gaussian(random);
    }
    List<SearchHit> hits = index.search(queries[0], K);
    int[] naive = baselineTopK(queries[0]);
    for (int i = 0; i < K; i++) {
      if (!hits.get(i).id().equals("v" + naive[i])) {
        throw new IllegalStateException(
            "the index and the baseline disagree at rank "
                + i
                + "; the comparison would not measure the same search");
      }
    }
  }

  /**
   * The straightforward exact search.
   *
   * @return the positions of the top k, best first
   */
  @Benchmark
  @Baseline
  public int[] baselineScan() {
    return baselineTopK(nextQuery());
  }

  /**
   * Core's index.
   *
   * @return the top k
   */
  @Benchmark
  public List<SearchHit> vectorIndex() {
    return index.search(nextQuery(), K);
  }

  private float[] nextQuery() {
    float[] q = queries[next];
    next = (next + 1) % QUERIES;
    return q;
  }

  private int[] baselineTopK(float[] query) {
    float[] q = normalized(query);
    // min-heap of (score, position): the weakest of the best k on top
    PriorityQueue<float[]> heap =
        new PriorityQueue<>(
            K + 1, (a, b) -> a[0] != b[0] ? Float.compare(a[0], b[0]) : Float.compare(b[1], a[1]));
    for (int i = 0; i < rows.length; i++) {
      float[] r = rows[i];
      float dot = 0;
      for (int d = 0; d < DIMENSIONS; d++) {
        dot += q[d] * r[d];
      }
      if (heap.size() < K) {
        heap.add(new float[] {dot, i});
      } else if (dot > heap.peek()[0]) {
        heap.poll();
        heap.add(new float[] {dot, i});
      }
    }
    int[] top = new int[heap.size()];
    for (int i = top.length - 1; i >= 0; i--) {
      top[i] = (int) heap.poll()[1];
    }
    return top;
  }

  private static float[] gaussian(SplittableRandom random) {
    float[] v = new float[DIMENSIONS];
    for (int d = 0; d < DIMENSIONS; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return v;
  }

  private static float[] normalized(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    float[] out = new float[v.length];
    for (int d = 0; d < v.length; d++) {
      out[d] = v[d] * inv;
    }
    return out;
  }
}
