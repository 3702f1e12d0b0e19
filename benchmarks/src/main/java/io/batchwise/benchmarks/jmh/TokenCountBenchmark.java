package io.batchwise.benchmarks.jmh;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.batchwise.benchmarks.BenchmarkMain;
import io.batchwise.benchmarks.harness.SyntheticCorpus;
import io.batchwise.spi.Tokenizer;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
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
 * Counting one text's {@code cl100k_base} tokens: JTokkit called directly (the baseline), through
 * the {@code jtokkit} {@link Tokenizer} from the registry with the count cache off (the SPI's own
 * cost), and through the registry's count cache once every text has been counted (its hit path).
 * Each operation counts the next of 256 texts of the chosen length, so no single text is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = "-Dlogback.configurationFile=" + BenchmarkMain.LOGGING_CONFIGURATION)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class TokenCountBenchmark {
  private static final int TEXTS = 256;

  /**
   * {@code short}: 5–15 words (queries); {@code chunk}: 100–140 words (~700 characters, RAG
   * chunks).
   */
  @Param({"short", "chunk"})
  public String length;

  private List<String> texts;
  private int next;
  private Encoding encoding;
  private Tokenizer spi;
  private Tokenizer cached;

  /** Creates the state; JMH calls {@link #setUp()}. */
  public TokenCountBenchmark() {}

  /** Loads the encoding and both tokenizers, and fills the count cache. */
  @Setup
  public void setUp() {
    texts =
        length.equals("short")
            ? SyntheticCorpus.texts(TEXTS, 5, 15, 11)
            : SyntheticCorpus.texts(TEXTS, 100, 140, 11);
    encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    spi =
        new TokenizerRegistry(0, ForkJoinPool.commonPool(), new SimpleMeterRegistry())
            .get("cl100k_base");
    cached = TokenizerRegistry.standalone().get("cl100k_base");
    for (String t : texts) {
      int direct = encoding.countTokensOrdinary(t);
      if (spi.count(t) != direct || cached.count(t) != direct) {
        throw new IllegalStateException(
            "the tokenizers disagree on a text's count; the benchmark would compare different work");
      }
    }
  }

  private String nextText() {
    String t = texts.get(next);
    next = (next + 1) & (TEXTS - 1);
    return t;
  }

  /**
   * JTokkit's encoding, called directly.
   *
   * @return the count
   */
  @Benchmark
  @Baseline
  public int jtokkitDirect() {
    return encoding.countTokensOrdinary(nextText());
  }

  /**
   * The {@code jtokkit} tokenizer through the SPI, count cache off.
   *
   * @return the count
   */
  @Benchmark
  public int spiTokenizer() {
    return spi.count(nextText());
  }

  /**
   * The registry's count cache, every text already counted.
   *
   * @return the count
   */
  @Benchmark
  public int registryCountCacheHit() {
    return cached.count(nextText());
  }
}
