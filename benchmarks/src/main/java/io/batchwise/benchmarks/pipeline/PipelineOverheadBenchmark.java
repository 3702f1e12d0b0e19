package io.batchwise.benchmarks.pipeline;

import com.sun.management.ThreadMXBean;
import io.batchwise.benchmarks.harness.Comparison;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Target;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embed pipeline's own cost per input: {@value #INPUTS} distinct texts embedded through a
 * provider that answers at once with a constant vector (a no-op), no cache, against the same run
 * through the pipeline of an older Batchwise built beside this one (the embed-path rewrite's
 * baseline, commit {@value #BASELINE_COMMIT}), rounds interleaved.
 *
 * <p>Both versions run on equal footing: each is loaded in a class loader of its own, made for this
 * section (the baseline from its class path, the current version from the class path this process
 * was started with, the same jars), whose parent is the platform class loader. So neither version's
 * classes were run before this section: the JIT profiles their call sites from this section's work
 * only, and no other section's providers, caches or tokenizers have made them megamorphic. In the
 * whole suite the current version's classes in the application class loader have run every earlier
 * section, while a baseline in a fresh loader has not: not the same footing. Everything else the
 * two sides share alike: the JDK's own classes and their profiles, the heap, the JVM's flags, and
 * the same number of warm-up rounds, enough for both versions' hot loops to be compiled. The
 * current version as the application class loader holds it, after the earlier sections, is measured
 * too and reported beside the two, outside the target, so that a cost only the suite's history
 * shows stays visible.
 *
 * <p>Each side also reports the bytes allocated per input (the median round's, summed over every
 * thread with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}): unlike wall time on
 * a shared machine, allocation does not move with the machine's load.
 *
 * <p>The two versions' provider SPIs differ, so the no-op provider is a plain class of each SPI,
 * created by name in each version's class loader: {@link NoOpProvider} here, and its twin in {@code
 * benchmarks/baseline/NoOpProvider.java}, which {@code build-baseline.sh} compiles against the
 * baseline and puts on its class path (a tokenizer that counts a token per four characters, a
 * {@code SINGLE_CALL} model of 2,048 inputs per call). Each version's pipeline asks the tokenizer
 * once per text, the older one with {@code count}, the newer with {@code fit}. Everything else is
 * each version's own pipeline as {@code
 * Batchwise.builder().provider(p).build().embedder().embedAll(texts)} runs it.
 *
 * <p>The baseline's class path comes from the system property {@value #BASELINE_PROPERTY}, or else
 * the file {@value #BASELINE_FILE} that {@code benchmarks/build-baseline.sh} writes (it builds the
 * baseline's core from {@code git archive}, with Maven offline and nothing installed). Without
 * either, the section says so and measures nothing.
 */
public final class PipelineOverheadBenchmark implements MacroBenchmark {
  /** The commit the embed-path rewrite is measured against. */
  public static final String BASELINE_COMMIT = "5cc2629";

  /**
   * Names the baseline's class path (entries separated by the path separator); not under {@code
   * batchwise.}, which the configuration reads as options.
   */
  public static final String BASELINE_PROPERTY = "bench.baseline.classpath";

  /** Where {@code build-baseline.sh} writes the baseline's class path, from the repository root. */
  public static final String BASELINE_FILE = "benchmarks/target/baseline-5cc2629/classpath.txt";

  /** Inputs per round. */
  static final int INPUTS = 100_000;

  /** The most the pipeline's cost per input may be, as a multiple of the baseline's. */
  static final double TARGET = 1.05;

  /**
   * Uncounted rounds per side, quick mode: each version's classes are new to the JIT here, and the
   * current pipeline reaches its steady state (its allocation per round stops falling as the JIT
   * compiles its hot loops) only after several rounds on a loaded machine; both sides get the same.
   */
  static final int WARMUPS_QUICK = 8;

  /** Uncounted rounds per side, full mode. */
  static final int WARMUPS = 10;

  /** Names the logging configuration file or resource (see {@code BenchmarkMain}). */
  private static final String LOGBACK_PROPERTY = "logback.configurationFile";

  private static final String BASELINE_LABEL = "pipeline at " + BASELINE_COMMIT;
  private static final String CURRENT_LABEL = "pipeline now";
  private static final String SHARED_LABEL =
      "pipeline now, in the application class loader (not the target)";

  /** Creates the benchmark. */
  public PipelineOverheadBenchmark() {}

  @Override
  public String title() {
    return "Embed pipeline overhead: a no-op provider, "
        + INPUTS
        + " inputs, against "
        + BASELINE_COMMIT;
  }

  @Override
  public String run(boolean quick) throws Exception {
    StringBuilder md = new StringBuilder("## ").append(title()).append("\n\n");
    List<URL> baselinePath = baselineClassPath();
    if (baselinePath.isEmpty()) {
      md.append(
              "Not measured: the baseline is not built. Run `benchmarks/build-baseline.sh` (or set `-D")
          .append(BASELINE_PROPERTY)
          .append("=<class path of ")
          .append(BASELINE_COMMIT)
          .append("'s core and its compiled benchmarks/baseline/NoOpProvider.java>`), then this")
          .append(" section again.\n\n");
      return md.toString();
    }
    String logging = System.getProperty(LOGBACK_PROPERTY);
    try (URLClassLoader old = isolated(baselinePath);
        URLClassLoader now = isolated(classPath(System.getProperty("java.class.path")))) {
      sameLoggingConfiguration(logging);
      Side baseline = new Side(old);
      Side current = new Side(now);
      Side shared = new Side(PipelineOverheadBenchmark.class.getClassLoader());
      AtomicReference<List<String>> texts = new AtomicReference<>();
      AtomicInteger rounds = new AtomicInteger();
      int measured = quick ? 9 : 21;
      Comparison.Result r =
          Comparison.of(INPUTS + " distinct texts, no-op provider, no cache", INPUTS)
              // fresh texts every round: no tokenizer count cache hits across rounds
              .beforeEachRound(() -> texts.set(texts(rounds.getAndIncrement())))
              .collectGarbageBeforeEachRound()
              .baseline(BASELINE_LABEL, () -> baseline.embed(texts.get()))
              .candidate(CURRENT_LABEL, () -> current.embed(texts.get()))
              .candidate(SHARED_LABEL, () -> shared.embed(texts.get()))
              .run(quick ? WARMUPS_QUICK : WARMUPS, measured);
      baseline.close();
      current.close();
      shared.close();
      double oldPerInput = r.get(BASELINE_LABEL).medianSeconds() / INPUTS * 1e6;
      double newPerInput = r.get(CURRENT_LABEL).medianSeconds() / INPUTS * 1e6;
      double sharedPerInput = r.get(SHARED_LABEL).medianSeconds() / INPUTS * 1e6;
      md.append(r.toMarkdown("texts")).append('\n');
      md.append(
          String.format(
              Locale.ROOT,
              "- Pipeline cost per input: %.3f µs now, %.3f µs at %s, each in a class loader of its"
                  + " own made for this section (medians of interleaved rounds); %.3f µs now as the"
                  + " suite's application class loader holds it, its classes run by the sections"
                  + " before this one (%.2f× %s's, not the target)%n",
              newPerInput,
              oldPerInput,
              BASELINE_COMMIT,
              sharedPerInput,
              sharedPerInput / oldPerInput,
              BASELINE_COMMIT));
      md.append(
          String.format(
              Locale.ROOT,
              "- Bytes allocated per input, all threads (median measured round): %.0f now, %.0f at %s"
                  + " (%.0f now in the application class loader); the no-op provider's own share is"
                  + " in each (its answer lists; the current tokenizer's TokenFit per text)%n",
              current.medianAllocatedBytes(measured) / (double) INPUTS,
              baseline.medianAllocatedBytes(measured) / (double) INPUTS,
              BASELINE_COMMIT,
              shared.medianAllocatedBytes(measured) / (double) INPUTS));
      md.append(
          String.format(
              Locale.ROOT,
              "- CPU time per input, all Java threads (median measured round; not the target, which"
                  + " is wall time): %.3f µs now, %.3f µs at %s (%.2f×); %.3f µs now in the"
                  + " application class loader%n",
              current.medianCpuNanos(measured) / 1e3 / INPUTS,
              baseline.medianCpuNanos(measured) / 1e3 / INPUTS,
              BASELINE_COMMIT,
              current.medianCpuNanos(measured) / (double) baseline.medianCpuNanos(measured),
              shared.medianCpuNanos(measured) / 1e3 / INPUTS));
      md.append(
          "- Each round embeds texts never embedded before (made before its clock starts), through a provider"
              + " that returns one constant 8-dimension vector per text at once; each version's no-op provider is"
              + " the same plain class over its own SPI. Baseline class path: "
              + BASELINE_FILE
              + " (built by"
              + " `benchmarks/build-baseline.sh`).\n\n");
      md.append(
          Target.table(
              List.of(
                  Target.atMost(
                      "pipeline cost per input vs " + BASELINE_COMMIT + "'s, same run",
                      newPerInput / oldPerInput,
                      TARGET,
                      "×"))));
      md.append('\n');
    } finally {
      if (logging != null) {
        System.setProperty(LOGBACK_PROPERTY, logging);
      }
    }
    md.append(
        "Reproduce: `benchmarks/build-baseline.sh`, then `java -jar benchmarks/target/batchwise-benchmarks.jar"
            + " --quick --only pipeline`.\n");
    return md.toString();
  }

  private static List<URL> baselineClassPath() throws IOException {
    String path = System.getProperty(BASELINE_PROPERTY);
    if (path == null) {
      Path file = Path.of(BASELINE_FILE);
      if (!Files.isRegularFile(file)) {
        return List.of();
      }
      path = Files.readString(file).trim();
    }
    return classPath(path);
  }

  /**
   * The entries of a class path as URLs. A jar's manifest {@code Class-Path} (the benchmarks jar
   * names its {@code lib/} jars there) is followed by the class loader, as by the application's.
   */
  static List<URL> classPath(String path) {
    List<URL> urls = new ArrayList<>();
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        try {
          urls.add(Path.of(entry).toUri().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalArgumentException("bad entry in the class path: " + entry, e);
        }
      }
    }
    return urls;
  }

  /**
   * Points the logging configuration the harness names as a resource of its own jar ({@code
   * logback-benchmarks.xml}, warnings only) at that resource's URL, for as long as the section
   * runs: each isolated class loader's logging starts when its version first logs, and the
   * baseline's class path does not hold the harness's jar, so by name alone its logging would start
   * with the library's default configuration (everything, to the console) and the current version's
   * with the harness's.
   */
  private static void sameLoggingConfiguration(String logging) {
    URL resource =
        logging == null
            ? null
            : PipelineOverheadBenchmark.class.getClassLoader().getResource(logging);
    if (resource != null) {
      System.setProperty(LOGBACK_PROPERTY, resource.toString());
    }
  }

  /**
   * A class loader of its own over {@code path}, under the platform class loader: it shares the
   * JDK's classes with the rest of the process and none of the application's.
   */
  private static URLClassLoader isolated(List<URL> path) {
    return new URLClassLoader(path.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  /** {@code INPUTS} distinct texts of 40 to 200 characters, different in every round. */
  static List<String> texts(int round) {
    List<String> texts = new ArrayList<>(INPUTS);
    for (int i = 0; i < INPUTS; i++) {
      texts.add("round " + round + " text " + i + " " + "lorem ipsum ".repeat(3 + i % 14));
    }
    return texts;
  }

  /**
   * One version of Batchwise with a no-op provider, driven by reflection so that one class serves
   * both versions.
   */
  private static final class Side {
    private final Object batchwise;
    private final Object embedder;
    private final Method embedAll;

    /** Bytes allocated by each {@link #embed}, in order, warm-ups first. */
    private final List<Long> allocated = new ArrayList<>();

    /** CPU time each {@link #embed} took on the process's Java threads, in order. */
    private final List<Long> cpu = new ArrayList<>();

    Side(ClassLoader loader) throws ReflectiveOperationException {
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      thread.setContextClassLoader(
          loader); // the builder finds the scheduler factory with ServiceLoader
      try {
        Class<?> providerType = Class.forName("io.batchwise.spi.EmbeddingProvider", true, loader);
        Object provider = noOpProvider(loader);
        Class<?> batchwiseType = Class.forName("io.batchwise.Batchwise", true, loader);
        Object builder = batchwiseType.getMethod("builder").invoke(null);
        builder.getClass().getMethod("provider", providerType).invoke(builder, provider);
        this.batchwise = builder.getClass().getMethod("build").invoke(builder);
        this.embedder = batchwiseType.getMethod("embedder").invoke(batchwise);
        this.embedAll =
            Class.forName("io.batchwise.Embedder", true, loader).getMethod("embedAll", List.class);
      } finally {
        thread.setContextClassLoader(before);
      }
    }

    Object embed(List<String> texts) throws ReflectiveOperationException {
      long cpuBefore = cpuNanos();
      long before = allocatedBytes();
      Object result = embedAll.invoke(embedder, texts);
      allocated.add(allocatedBytes() - before);
      cpu.add(cpuNanos() - cpuBefore);
      List<?> vectors = (List<?>) result.getClass().getMethod("vectors").invoke(result);
      if (vectors.size() != texts.size()) {
        throw new IllegalStateException(vectors.size() + " vectors for " + texts.size() + " texts");
      }
      return result;
    }

    /**
     * The median allocation of the last {@code rounds} embeds: the measured rounds, which the
     * comparison runs after the warm-ups.
     */
    long medianAllocatedBytes(int rounds) {
      return medianOfLast(allocated, rounds);
    }

    /**
     * The median CPU time of the last {@code rounds} embeds.
     *
     * @param rounds the measured rounds
     * @return nanoseconds
     */
    long medianCpuNanos(int rounds) {
      return medianOfLast(cpu, rounds);
    }

    private static long medianOfLast(List<Long> values, int rounds) {
      long[] sorted =
          values.subList(Math.max(0, values.size() - rounds), values.size()).stream()
              .mapToLong(Long::longValue)
              .sorted()
              .toArray();
      return sorted[sorted.length / 2];
    }

    void close() throws ReflectiveOperationException {
      batchwise.getClass().getMethod("close").invoke(batchwise);
    }
  }

  /**
   * The bytes every live thread has allocated so far: the pipeline's pools keep their threads
   * between rounds, so a difference of two readings is what a round allocated.
   */
  private static long allocatedBytes() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    return sumOverThreads(threads.getThreadAllocatedBytes(threads.getAllThreadIds()));
  }

  /**
   * The CPU time every live Java thread has used so far (the JVM's own collector and compiler
   * threads are not among them): a cost that, unlike wall time, a busy machine stretches only
   * through shared caches, not through waiting for a core.
   */
  private static long cpuNanos() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    return sumOverThreads(threads.getThreadCpuTime(threads.getAllThreadIds()));
  }

  /** A per-thread reading summed; a thread that ended meanwhile reads -1 and counts nothing. */
  private static long sumOverThreads(long[] perThread) {
    long sum = 0;
    for (long value : perThread) {
      sum += Math.max(0, value);
    }
    return sum;
  }

  /**
   * The {@link NoOpProvider} that {@code loader} holds: the class in this jar for the current
   * version, the one {@code build-baseline.sh} compiled against the baseline's SPI for the
   * baseline.
   */
  private static Object noOpProvider(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> type;
    try {
      type = Class.forName(NoOpProvider.class.getName(), true, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "no "
              + NoOpProvider.class.getName()
              + " on the baseline's class path: run benchmarks/build-baseline.sh again (it compiles"
              + " benchmarks/baseline/NoOpProvider.java against the baseline's SPI)",
          e);
    }
    return type.getConstructor().newInstance();
  }
}
