package io.batchwise.benchmarks.pipeline;

import com.sun.management.ThreadMXBean;
import io.batchwise.benchmarks.harness.Comparison;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Target;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
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
 * section, while a baseline in a fresh loader has not, which tilts a comparison against the current
 * version by more than the target's margin. Everything else the two sides share alike: the JDK's
 * own classes and their profiles, the heap, the JVM's flags. The current version as the application
 * class loader holds it, after the earlier sections, is measured too and reported beside the two,
 * outside the target, so that a cost only the suite's history shows stays visible.
 *
 * <p>Each side also reports the bytes allocated per input (the median round's, summed over every
 * thread with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}): unlike wall time on
 * a shared machine, allocation does not move with the machine's load. It includes the no-op
 * provider's own allocation (the proxy's argument arrays and answers), which differs a little by
 * SPI (see below).
 *
 * <p>The two versions' provider SPIs differ, so the no-op provider is written for each side the
 * same way: a {@link Proxy} of that version's {@code EmbeddingProvider} and {@code Tokenizer},
 * answering by method name, the same code for both (a tokenizer that counts a token per four
 * characters, a {@code SINGLE_CALL} model of 2,048 inputs per call). Each version's pipeline asks
 * the tokenizer once per text, the older one with {@code count}, the newer with {@code fit}; the
 * proxy answers either in one call (it does not run the SPI's default {@code fit}, which would ask
 * the proxy a second time through reflection, a cost of the proxy and not of the pipeline).
 * Everything else is each version's own pipeline as {@code
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

  private static final int DIMENSIONS = 8;

  /**
   * Uncounted rounds per side, quick mode: each version's classes are new to the JIT here, and the
   * current pipeline reaches its steady state (its allocation per round stops falling as the JIT
   * compiles its hot loops) only after several rounds on a loaded machine; both sides get the same.
   */
  static final int WARMUPS_QUICK = 8;

  /** Uncounted rounds per side, full mode. */
  static final int WARMUPS = 10;

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
          .append("'s core>`), then this section again.\n\n");
      return md.toString();
    }
    try (URLClassLoader old = isolated(baselinePath);
        URLClassLoader now = isolated(classPath(System.getProperty("java.class.path")))) {
      Side baseline = new Side(old);
      Side current = new Side(now);
      Side shared = new Side(PipelineOverheadBenchmark.class.getClassLoader());
      AtomicReference<List<String>> texts = new AtomicReference<>();
      AtomicInteger rounds = new AtomicInteger();
      Comparison.Result r =
          Comparison.of(INPUTS + " distinct texts, no-op provider, no cache", INPUTS)
              // fresh texts every round: no tokenizer count cache hits across rounds
              .beforeEachRound(() -> texts.set(texts(rounds.getAndIncrement())))
              .collectGarbageBeforeEachRound()
              .baseline(BASELINE_LABEL, () -> baseline.embed(texts.get()))
              .candidate(CURRENT_LABEL, () -> current.embed(texts.get()))
              .candidate(SHARED_LABEL, () -> shared.embed(texts.get()))
              .run(quick ? WARMUPS_QUICK : WARMUPS, quick ? 9 : 21);
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
              "- Bytes allocated per input, all threads (median round): %.0f now, %.0f at %s"
                  + " (%.0f now in the application class loader); the no-op provider's own share is"
                  + " in each%n",
              current.medianAllocatedBytes() / (double) INPUTS,
              baseline.medianAllocatedBytes() / (double) INPUTS,
              BASELINE_COMMIT,
              shared.medianAllocatedBytes() / (double) INPUTS));
      md.append(
          "- Each round embeds texts never embedded before (made before its clock starts), through a provider"
              + " that returns one constant 8-dimension vector per text at once; both versions' no-op providers are"
              + " the same proxy code over their own SPI. Baseline class path: "
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

    /** Bytes allocated by each {@link #embed}, warm-ups included. */
    private final List<Long> allocated = new ArrayList<>();

    Side(ClassLoader loader) throws ReflectiveOperationException {
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      thread.setContextClassLoader(
          loader); // the builder finds the scheduler factory with ServiceLoader
      try {
        Class<?> providerType = Class.forName("io.batchwise.spi.EmbeddingProvider", true, loader);
        Object provider = noOpProvider(loader, providerType);
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
      long before = allocatedBytes();
      Object result = embedAll.invoke(embedder, texts);
      allocated.add(allocatedBytes() - before);
      List<?> vectors = (List<?>) result.getClass().getMethod("vectors").invoke(result);
      if (vectors.size() != texts.size()) {
        throw new IllegalStateException(vectors.size() + " vectors for " + texts.size() + " texts");
      }
      return result;
    }

    /** The median of the embeds' allocations: the warm-ups are the few outliers. */
    long medianAllocatedBytes() {
      long[] sorted = allocated.stream().mapToLong(Long::longValue).sorted().toArray();
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
    long sum = 0;
    for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(0, bytes); // -1 for a thread that ended meanwhile
    }
    return sum;
  }

  /** The no-op provider over the SPI that {@code loader} holds. */
  private static Object noOpProvider(ClassLoader loader, Class<?> providerType)
      throws ReflectiveOperationException {
    Class<?> tokenizerType = Class.forName("io.batchwise.spi.Tokenizer", true, loader);
    Method whole = tokenFit(loader, "whole", String.class, int.class);
    Method cut = tokenFit(loader, "cut", String.class, int.class, int.class);
    Object tokenizer =
        proxy(
            tokenizerType,
            (self, method, args) ->
                switch (method.getName()) {
                  case "name" -> "noop-chars4";
                  case "count" -> count((String) args[0]);
                  case "truncate" -> truncate((String) args[0], (int) args[1]);
                  case "fit" -> {
                    String text = (String) args[0];
                    int limit = (int) args[1];
                    int n = count(text);
                    if (n <= limit) {
                      yield whole.invoke(null, text, n);
                    }
                    String kept = truncate(text, limit);
                    yield cut.invoke(null, kept, count(kept), n);
                  }
                  default -> objectMethod(self, method, args);
                });
    Object modelInfo = modelInfo(Class.forName("io.batchwise.spi.ModelInfo", true, loader));
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object singleCall =
        Enum.valueOf(
            (Class) Class.forName("io.batchwise.spi.BatchStrategy", true, loader), "SINGLE_CALL");
    float[] vector = new float[DIMENSIONS];
    Arrays.fill(vector, 0.5f);
    return proxy(
        providerType,
        (self, method, args) ->
            switch (method.getName()) {
              case "id" -> "noop";
              case "modelInfo" -> modelInfo;
              case "tokenizer" -> tokenizer;
              case "batchStrategy" -> singleCall;
              case "close" -> null;
              case "embed" ->
                  method.isDefault()
                      ? InvocationHandler.invokeDefault(self, method, args)
                      : CompletableFuture.completedFuture(
                          constant(vector, ((List<?>) args[0]).size()));
              default -> objectMethod(self, method, args);
            });
  }

  private static int count(String text) {
    return text.length() / 4 + 1;
  }

  private static String truncate(String text, int maxTokens) {
    return text.substring(0, Math.min(text.length(), 4 * maxTokens));
  }

  /**
   * A factory of the SPI's {@code TokenFit}, or null in a version without it (there is no fit to
   * answer).
   */
  private static Method tokenFit(ClassLoader loader, String name, Class<?>... parameters) {
    try {
      return Class.forName("io.batchwise.spi.TokenFit", true, loader).getMethod(name, parameters);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static List<float[]> constant(float[] vector, int n) {
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(vector);
    }
    return out;
  }

  /**
   * 2,048 inputs per call, 512 tokens per input, 300,000 per call (and no micro-batch budget where
   * there is one).
   */
  private static Object modelInfo(Class<?> type) throws ReflectiveOperationException {
    for (var constructor : type.getConstructors()) {
      if (constructor.getParameterCount() == 6) { // before SPI v2: no micro-batch budget
        return constructor.newInstance("noop", DIMENSIONS, false, 2048, 512, 300_000);
      }
      if (constructor.getParameterCount() == 7) {
        return constructor.newInstance(
            "noop", DIMENSIONS, false, 2048, 512, 300_000, Integer.MAX_VALUE);
      }
    }
    throw new IllegalStateException("no ModelInfo constructor of 6 or 7 parameters in " + type);
  }

  private static Object proxy(Class<?> type, InvocationHandler handler) {
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  /** Object's methods and the SPI's default methods of a proxy. */
  private static Object objectMethod(Object self, Method method, Object[] args) throws Throwable {
    return switch (method.getName()) {
      case "equals" -> self == args[0];
      case "hashCode" -> System.identityHashCode(self);
      case "toString" -> "no-op " + method.getDeclaringClass().getSimpleName();
      default -> {
        if (method.isDefault()) {
          yield InvocationHandler.invokeDefault(self, method, args);
        }
        throw new UnsupportedOperationException(method.toString());
      }
    };
  }
}
