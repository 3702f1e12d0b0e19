package io.batchwise.benchmarks.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.benchmarks.harness.Comparison;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Target;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.spi.CacheKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The embedding cache's two claims, each measured against its baseline in the same run:
 *
 * <ol>
 *   <li>re-embedding N texts warm from each backend (Caffeine, SQLite, Redis, tiered) is much
 *       faster than embedding them cold with the local provider — targets: Caffeine at least 100×,
 *       SQLite at least 20×. Every contender goes through {@code Batchwise.embedder().embedAll}, so
 *       the warm figures include the whole pipeline (validation, dedupe, hashing, lookup,
 *       reassembly);
 *   <li>the Caffeine cache's hit path ({@code getAll} of N present keys, meters on) costs less than
 *       twice a bare Caffeine {@code getAllPresent} of the same keys.
 * </ol>
 *
 * <p>Run: {@code java -cp <benchmarks classpath> io.batchwise.benchmarks.cache.CacheBenchmark
 * [--quick]}; {@code -Dbenchmark.provider=<id>} replaces the local provider (for a machine without
 * it), {@code -Dbenchmark.redis-uri=redis://...} uses an existing Redis.
 */
public final class CacheBenchmark implements MacroBenchmark {
  private static final String NAMESPACE = "bench/model/384/n";

  /** Creates the benchmark. */
  public CacheBenchmark() {}

  @Override
  public String title() {
    return "Embedding cache: warm re-embedding and the Caffeine hit path";
  }

  @Override
  public String run(boolean quick) throws Exception {
    String provider = System.getProperty("benchmark.provider", "local");
    StringBuilder md = new StringBuilder("## ").append(title()).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%d cores, %s %s, mode %s, provider %s.%n%n",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.vm.name"),
            System.getProperty("java.version"),
            quick ? "quick" : "full",
            provider));
    List<Target> targets = new ArrayList<>();
    try (CacheFixtures fixtures = new CacheFixtures()) {
      md.append(warmVersusCold(fixtures, provider, quick ? 300 : 10_000, quick ? 5 : 3, targets));
    }
    md.append('\n')
        .append(hitPath(quick ? 2_000 : 10_000, quick ? 100 : 50, quick ? 9 : 15, targets));
    md.append('\n').append(Target.table(targets));
    md.append("\nReproduce: `java -cp benchmarks/target/classes:<dependencies> ")
        .append(CacheBenchmark.class.getName())
        .append(quick ? " --quick`\n" : "`\n");
    return md.toString();
  }

  /**
   * Section 1: every backend warm against the provider cold. The first cold run's vectors fill
   * every backend (as the pipeline would have stored them), so the provider runs only for the
   * baseline.
   */
  static String warmVersusCold(
      CacheFixtures fixtures, String provider, int n, int rounds, List<Target> targets)
      throws Exception {
    List<String> texts = CacheFixtures.texts(n, 42);
    Map<String, Batchwise> warm = new LinkedHashMap<>();
    List<Batchwise> all = new ArrayList<>();
    try {
      Batchwise cold =
          Batchwise.builder().provider(provider).meterRegistry(new SimpleMeterRegistry()).build();
      all.add(cold);
      EmbedResult first = require(cold.embedder().embedAll(texts), n, false);
      String namespace = cold.embedder().identity().namespace();
      Map<CacheKey, float[]> vectors = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        vectors.put(CacheKey.of(namespace, texts.get(i)), first.vectors().get(i));
      }
      for (String backend : CacheFixtures.BACKENDS) {
        Batchwise bw =
            fixtures.batchwise(provider, backend).meterRegistry(new SimpleMeterRegistry()).build();
        all.add(bw);
        bw.cache().putAll(vectors);
        try {
          require(bw.embedder().embedAll(texts), n, true); // every text is a hit from here on
        } catch (IllegalStateException e) {
          throw new IllegalStateException("warm " + backend + ": " + e.getMessage(), e);
        }
        warm.put(backend, bw);
      }
      Comparison c =
          Comparison.of("re-embedding " + n + " texts", n)
              .baseline(
                  "cold: " + provider + " provider, no cache",
                  () -> require(cold.embedder().embedAll(texts), n, false));
      warm.forEach(
          (backend, bw) ->
              c.candidate(
                  "warm " + backend, () -> require(bw.embedder().embedAll(texts), n, true)));
      Comparison.Result r = c.run(0, rounds); // the cold model and every warm path already ran once
      return r.toMarkdown("texts")
          + "\n"
          + verdict(r, "warm caffeine", 100, targets)
          + verdict(r, "warm sqlite", 20, targets)
          + String.format(
              Locale.ROOT,
              "- warm redis: %.0f×, warm tiered-sqlite: %.0f×,"
                  + " warm tiered-redis: %.0f× (no target)%n",
              r.ratio("warm redis"),
              r.ratio("warm tiered-sqlite"),
              r.ratio("warm tiered-redis"));
    } finally {
      for (Batchwise bw : all) {
        bw.close();
      }
    }
  }

  /**
   * Section 2: our Caffeine hit path against a bare Caffeine cache of the same entries, in two key
   * patterns. "Same keys" looks up the very key objects that were stored (the best case for a bare
   * cache: identity matches and cached hashes). "Fresh keys" looks up equal but new key objects
   * with new hash strings, built in the round for both contenders alike — what the embed pipeline
   * does on every call, as it derives the keys from the texts.
   */
  static String hitPath(int n, int repeats, int rounds, List<Target> targets) throws Exception {
    Map<CacheKey, float[]> entries = CacheFixtures.vectors(NAMESPACE, n, 384, 7);
    List<CacheKey> keys = new ArrayList<>(entries.keySet());
    String namespace = keys.get(0).namespace();
    Cache<CacheKey, float[]> bare = Caffeine.newBuilder().maximumSize(2L * n).build();
    bare.putAll(entries);
    try (CacheFixtures fixtures = new CacheFixtures();
        LoadingEmbeddingCache ours = fixtures.cache("caffeine", new SimpleMeterRegistry())) {
      ours.putAll(entries);
      Comparison.Result r =
          Comparison.of(repeats + " × getAll of " + n + " present keys", (long) repeats * n)
              .baseline(
                  "bare Caffeine getAllPresent, same keys",
                  () -> {
                    for (int i = 0; i < repeats; i++) {
                      requireSize(bare.getAllPresent(keys).size(), n);
                    }
                    return null;
                  })
              .candidate(
                  "batchwise caffeine getAll, same keys",
                  () -> {
                    for (int i = 0; i < repeats; i++) {
                      requireSize(ours.getAll(keys).size(), n);
                    }
                    return null;
                  })
              .candidate(
                  "bare Caffeine getAllPresent, fresh keys",
                  () -> {
                    for (int i = 0; i < repeats; i++) {
                      requireSize(bare.getAllPresent(fresh(keys, namespace)).size(), n);
                    }
                    return null;
                  })
              .candidate(
                  "batchwise caffeine getAll, fresh keys",
                  () -> {
                    for (int i = 0; i < repeats; i++) {
                      requireSize(ours.getAll(fresh(keys, namespace)).size(), n);
                    }
                    return null;
                  })
              .run(10, rounds); // cheap rounds: warm the JIT properly before measuring
      double same = 1 / r.ratio("batchwise caffeine getAll, same keys");
      double fresh =
          r.ratio("bare Caffeine getAllPresent, fresh keys")
              / r.ratio("batchwise caffeine getAll, fresh keys");
      // "< 2×": at most, to two decimals as printed
      targets.add(
          Target.atMost("caffeine hit path vs a bare getAllPresent, fresh keys", fresh, 1.99, "×"));
      return r.toMarkdown("lookups")
          + "\n"
          + String.format(
              Locale.ROOT,
              "- hit path overhead, fresh keys (as the pipeline looks up): %.2f× a bare Caffeine"
                  + " getAllPresent (target < 2×): %s%n"
                  + "- hit path overhead, same key objects (bare Caffeine's best case): %.2f×%n",
              fresh,
              fresh < 2 ? "met" : "NOT met",
              same);
    }
  }

  /** Equal keys as new objects with new (not yet hashed) strings, as the pipeline makes them. */
  private static List<CacheKey> fresh(List<CacheKey> keys, String namespace) {
    List<CacheKey> copy = new ArrayList<>(keys.size());
    for (CacheKey k : keys) {
      copy.add(new CacheKey(namespace, new String(k.textHash())));
    }
    return copy;
  }

  private static String verdict(
      Comparison.Result r, String name, double target, List<Target> targets) {
    double ratio = r.ratio(name);
    targets.add(Target.atLeast(name + " vs cold re-embedding", ratio, target, "×"));
    return String.format(
        Locale.ROOT,
        "- %s: %.0f× faster than cold (target ≥ %.0f×): %s%n",
        name,
        ratio,
        target,
        ratio >= target ? "met" : "NOT met");
  }

  private static EmbedResult require(EmbedResult result, int n, boolean allHits) {
    if (!result.allSucceeded()) {
      throw new IllegalStateException(
          result.failures().size()
              + " inputs failed: "
              + result.failures().get(0).failure().orElse(null));
    }
    if (allHits && result.usage().cacheHits() != n) {
      throw new IllegalStateException(
          "expected " + n + " cache hits, got " + result.usage().cacheHits());
    }
    return result;
  }

  private static void requireSize(int size, int n) {
    if (size != n) {
      throw new IllegalStateException("expected " + n + " hits, got " + size);
    }
  }

  /**
   * Runs the benchmark and prints its Markdown.
   *
   * @param args {@code --quick} for small N
   * @throws Exception when a round fails
   */
  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    System.out.println(new CacheBenchmark().run(quick));
  }
}
