package io.batchwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Tokenizer} must honour: truncation keeps a prefix within the limit,
 * {@code fit} agrees with {@code count} and {@code truncate}, and concurrent use is safe. Encoding
 * and decoding are optional: where the tokenizer implements them, counts equal encoding lengths and
 * decoding round-trips plain text; where it does not, each refuses with an {@link
 * UnsupportedOperationException} naming the tokenizer and the method.
 */
public abstract class TokenizerContract {
  /** The tokenizer under test. */
  protected Tokenizer tokenizer;

  /**
   * Creates the tokenizer under test (may be shared across tests: tokenizers are immutable).
   *
   * @return the tokenizer
   * @throws Exception when it cannot be created
   */
  protected abstract Tokenizer createTokenizer() throws Exception;

  /**
   * Whether {@code decode(encode(text))} reproduces plain ASCII text exactly (false for tokenizers
   * that lowercase or add special tokens that decode to text).
   *
   * @return true when decoding round-trips
   */
  protected boolean decodeRoundTrips() {
    return true;
  }

  /** Creates the tokenizer. */
  @BeforeEach
  void open() throws Exception {
    tokenizer = createTokenizer();
  }

  private static final List<String> SAMPLES =
      List.of(
          "Hello, world!",
          "The quick brown fox jumps over the lazy dog.",
          "数据处理和向量检索",
          "emoji 🚀🔥 and accents: café naïve",
          "שלום עולם",
          "e\u0301 combining",
          "a".repeat(500));

  @Test
  @DisplayName("has a name")
  void hasAName() {
    assertThat(tokenizer.name()).isNotBlank();
  }

  /**
   * Whether {@code tokenizer} encodes; when it does not, checks that it refuses naming itself and
   * the method, as {@link Tokenizer#encode}'s default does.
   *
   * @param tokenizer the tokenizer
   * @return true when {@link Tokenizer#encode} is implemented
   */
  public static boolean encodes(Tokenizer tokenizer) {
    return supported(tokenizer, "encode", () -> tokenizer.encode("probe"));
  }

  /**
   * Whether {@code tokenizer} decodes; when it does not, checks that it refuses naming itself and
   * the method, as {@link Tokenizer#decode}'s default does.
   *
   * @param tokenizer the tokenizer
   * @return true when {@link Tokenizer#decode} is implemented
   */
  public static boolean decodes(Tokenizer tokenizer) {
    return supported(tokenizer, "decode", () -> tokenizer.decode(new int[0]));
  }

  private static boolean supported(Tokenizer tokenizer, String method, Runnable probe) {
    try {
      probe.run();
      return true;
    } catch (UnsupportedOperationException e) {
      assertThat(e)
          .as("an optional method it does not implement refuses naming the tokenizer")
          .hasMessageContaining(tokenizer.name())
          .hasMessageContaining(method);
      return false;
    }
  }

  @Test
  @DisplayName("counts exactly as many tokens as it encodes, when it encodes")
  void countEqualsEncodingLength() {
    if (!encodes(tokenizer)) {
      return; // optional: the refusal was checked
    }
    for (String s : SAMPLES) {
      assertThat(tokenizer.count(s)).as(s).isEqualTo(tokenizer.encode(s).length);
    }
  }

  @Test
  @DisplayName("counts more tokens for longer text")
  void longerTextHasMoreTokens() {
    assertThat(tokenizer.count("word ".repeat(100)))
        .isGreaterThan(tokenizer.count("word ".repeat(10)));
  }

  @Test
  @DisplayName("truncates to at most N tokens, keeping the beginning, and leaves short text alone")
  void truncateKeepsAPrefixWithinTheLimit() {
    String text = "one two three four five six seven eight nine ten eleven twelve";
    for (int n : new int[] {4, 5, 8}) {
      String cut = tokenizer.truncate(text, n);
      assertThat(tokenizer.count(cut)).as("n=%d", n).isLessThanOrEqualTo(n);
      assertThat(text).startsWith(cut.strip().isEmpty() ? "" : cut.strip().split(" ")[0]);
    }
    assertThat(tokenizer.truncate("short", 1000)).isEqualTo("short");
  }

  @Test
  @DisplayName("fit counts a text that fits and cuts one that does not as truncate cuts it")
  void fitAgreesWithCountAndTruncate() {
    for (String s : SAMPLES) {
      int count = tokenizer.count(s);
      for (int n : new int[] {4, 8, 1000}) {
        TokenFit fit = tokenizer.fit(s, n);
        if (count <= n) {
          assertThat(fit).as("%s, n=%d", s, n).isEqualTo(TokenFit.whole(s, count));
        } else {
          assertThat(fit.truncated()).as("%s, n=%d", s, n).isTrue();
          assertThat(fit.text()).as("%s, n=%d", s, n).isEqualTo(tokenizer.truncate(s, n));
          assertThat(fit.tokens())
              .as("%s, n=%d", s, n)
              .isEqualTo(tokenizer.count(fit.text()))
              .isLessThanOrEqualTo(n);
          assertThat(fit.inputTokens())
              .as("%s, n=%d", s, n)
              .isEqualTo(fit.inputCounted() ? count : n);
        }
      }
    }
  }

  @Test
  @DisplayName("decodes what it encodes, when it does both")
  void decodingRoundTripsPlainText() {
    boolean encodes = encodes(tokenizer);
    if (!decodes(tokenizer) || !encodes || !decodeRoundTrips()) {
      return; // optional: a refusal was checked
    }
    String text = "the quick brown fox";
    assertThat(tokenizer.decode(tokenizer.encode(text)).strip()).isEqualTo(text);
  }

  @Test
  @DisplayName("gives the same counts from many threads")
  void isThreadSafe() {
    int expected = tokenizer.count(SAMPLES.get(1));
    List<CompletableFuture<Integer>> counts =
        IntStream.range(0, 32)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> tokenizer.count(SAMPLES.get(1))))
            .toList();
    for (CompletableFuture<Integer> c : counts) {
      assertThat(c.join()).isEqualTo(expected);
    }
  }
}
