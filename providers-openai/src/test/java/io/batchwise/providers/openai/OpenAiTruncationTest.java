package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import io.batchwise.providers.openai.internal.TiktokenEncodings;
import io.batchwise.providers.openai.internal.TokenizerProbe;
import io.batchwise.spi.Tokenizer;
import io.batchwise.testing.HardTexts;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A 50 MB input through the pipeline to a server on loopback: under {@code TRUNCATE} it is sent as
 * its first tokens, reading no more of it than they need; under {@code FAIL} it fails saying it has
 * more than the limit, without counting it whole. The provider counts with o200k_base here, which
 * the fake server (counting with cl100k_base) does not touch.
 */
class OpenAiTruncationTest {
  private static final int LIMIT = 8191;
  private static String huge;
  private final FakeOpenAiServer fake = new FakeOpenAiServer();

  @BeforeAll
  static void text() {
    String unit = new HardTexts(17).asciiText(64_000);
    StringBuilder b = new StringBuilder(50 * 1024 * 1024 + unit.length());
    while (b.length() < 50 * 1024 * 1024) {
      b.append(unit);
    }
    huge = b.toString();
  }

  @AfterAll
  static void release() {
    huge = null;
  }

  /**
   * What embedding "short" and the huge input did: the result, and the chars the provider's
   * tokenizer read.
   */
  private record Run(EmbedResult result, long read) {}

  private Run embed(String policy) throws Exception {
    Tokenizer o200k = TiktokenEncodings.tokenizer("o200k_base");
    long before = TokenizerProbe.charsTokenized(o200k);
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(fake);
      server.start();
      try (Batchwise bw =
          Batchwise.builder()
              .provider("openai")
              .option("openai.base-url", server.url("/v1").toString())
              .option("openai.api-key", TestProviders.KEY)
              .option("openai.dimensions", "8")
              .option("openai.tokenizer", "o200k_base")
              .option("limit-policy", policy)
              .option("max-input-chars", Integer.toString(64 * 1024 * 1024))
              .sources(new Properties(), Map.of())
              .build()) {
        EmbedResult result = bw.embedder().embedAll(List.of("short", huge));
        return new Run(result, TokenizerProbe.charsTokenized(o200k) - before);
      }
    }
  }

  @Test
  @DisplayName(
      "TRUNCATE: sends the 50 MB input's first 8,191 tokens, cut where the whole text's tokens cut, reading at most 4x that")
  void aHugeInputIsSentAsItsFirstTokens() throws Exception {
    Run run = embed("truncate");

    Embedding e = run.result().embeddings().get(1);
    assertThat(run.result().allSucceeded()).as("failures: %s", run.result().failures()).isTrue();
    assertThat(e.truncated()).isTrue();
    String sent = fake.seen().get(0).body().get("input").get(1).asText();
    assertThat(e.tokens())
        .isEqualTo(TiktokenEncodings.tokenizer("o200k_base").count(sent))
        .isBetween(LIMIT - 8, LIMIT);
    assertThat(run.read()).isLessThanOrEqualTo(4L * sent.length());
    // JTokkit's own cut of a prefix far longer than the kept text
    Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    String prefix = huge.substring(0, 400_000);
    int end = encoding.encodeOrdinary(prefix, LIMIT).getLastProcessedCharacterIndex() + 1;
    String reference = prefix.substring(0, end);
    while (encoding.countTokensOrdinary(reference) > LIMIT) {
      reference = reference.substring(0, reference.length() - 1);
    }
    assertThat(sent).isEqualTo(reference);
  }

  @Test
  @DisplayName(
      "FAIL: the 50 MB input fails as having more than the limit, counted no further, and is not sent")
  void aHugeInputFailsSayingItIsOverTheLimit() throws Exception {
    Run run = embed("fail");

    assertThat(run.result().embeddings().get(0).succeeded()).isTrue();
    assertThat(run.result().embeddings().get(1).error())
        .hasMessage(
            "input 1 has more than 8191 tokens; the limit"
                + " is 8191 tokens per input (limit-policy FAIL; set limit-policy=truncate to cut it instead)");
    assertThat(run.read()).isLessThan(1_000_000);
    assertThat(fake.seen()).hasSize(1);
    assertThat(fake.seen().get(0).inputs()).isEqualTo(1);
  }
}
