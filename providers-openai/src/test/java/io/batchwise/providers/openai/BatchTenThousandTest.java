package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 inputs through the Batch API on loopback, with duplicates and some over the per-input
 * limit: every vector exact and at its index, the inputs over the limit failed naming their index
 * and the limit, and the cache filled (the synchronous embedder answers the same inputs from it
 * alone).
 */
class BatchTenThousandTest {
  private static final int INPUTS = 10_000;
  private static final int LIMIT = 64;

  @StartStop final MockWebServer server = new MockWebServer();

  @TempDir Path dir;

  static List<String> texts() {
    List<String> t = new ArrayList<>(INPUTS);
    for (int i = 0; i < INPUTS; i++) {
      if (i % 1_000 == 500) {
        t.add("long " + i + " " + "lorem ipsum ".repeat(LIMIT)); // over the limit
      } else if (i % 10 == 9) {
        t.add(t.get(i - 5)); // a duplicate
      } else {
        t.add("text number " + i);
      }
    }
    return t;
  }

  @Test
  @DisplayName(
      "10,000 inputs: exact vectors in order, over-limit inputs failed by name, the cache filled")
  void tenThousandInputs() throws Exception {
    FakeBatchServer fake = new FakeBatchServer(TestProviders.KEY);
    server.setDispatcher(fake); // it serves no /embeddings: a synchronous call fails
    List<String> texts = texts();
    try (Batchwise bw =
            TestProviders.batchwise(
                server.url("/v1").toString(),
                "cache",
                "caffeine",
                "openai.max-tokens-per-input",
                String.valueOf(LIMIT),
                "openai.max-inputs-per-request",
                "100",
                "openai.batch.state-dir",
                dir.toString(),
                "openai.batch.poll-interval",
                "1ms",
                "openai.batch.max-poll-interval",
                "5ms",
                "openai.batch.max-inputs-per-batch",
                "1000");
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      EmbedResult result = batch.embedAll(texts);
      assertThat(result.embeddings()).hasSize(INPUTS);
      for (int i = 0; i < INPUTS; i++) {
        Embedding e = result.embeddings().get(i);
        assertThat(e.index()).isEqualTo(i);
        if (i % 1_000 == 500) {
          assertThat(e.succeeded()).as("input %d is over the limit", i).isFalse();
          assertThat(e.error().getMessage())
              .contains("input " + i)
              .contains("the limit is " + LIMIT);
        } else {
          assertThat(e.vector())
              .as("input %d", i)
              .containsExactly(FakeBatchServer.vectorFor(texts.get(i), 8));
        }
      }
      assertThat(result.failures()).hasSize(10);
      int unique = INPUTS - INPUTS / 10 - 10;
      assertThat(result.usage().uniqueInputs()).isEqualTo(unique + 10);
      assertThat(fake.creates()).as("8,990 inputs to send, at most 1,000 per batch").isEqualTo(9);
      assertThat(fake.statuses()).containsOnly("completed");

      EmbedResult fromCache = bw.embedder().embedAll(texts);
      assertThat(fromCache.usage().cacheHits()).isEqualTo(unique);
      assertThat(fromCache.failures()).hasSize(10);
    }
  }
}
