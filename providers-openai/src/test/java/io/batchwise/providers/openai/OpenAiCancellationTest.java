package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.Embedding;
import io.batchwise.testing.Await;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Cancellation reaches the HTTP request: the server sees the client close the connection of a
 * request it has not answered, and receives nothing more.
 */
class OpenAiCancellationTest {
  private static final int WINDOW = 4;
  private static final int DIMENSIONS = 8;

  @Test
  @DisplayName(
      "an embedStream over twelve windows closed after its first result: the server got requests only for the windows already sent, and sees the one in flight hung up")
  void streamClosedEarlyClosesTheConnection() throws Exception {
    List<String> texts = IntStream.range(0, 12 * WINDOW).mapToObj(i -> "text number " + i).toList();
    List<String> firstWindow = texts.subList(0, WINDOW);
    List<String> firstTwoWindows = texts.subList(0, 2 * WINDOW);
    // the first window is answered; every later request is held until the client hangs up
    try (HoldingServer server =
            new HoldingServer(inputs -> !firstWindow.containsAll(inputs), DIMENSIONS, 60_000);
        Batchwise bw =
            Batchwise.builder()
                .provider("openai")
                .option("openai.base-url", server.baseUrl())
                .option("openai.api-key", TestProviders.KEY)
                .option("openai.dimensions", Integer.toString(DIMENSIONS))
                .option("openai.max-inputs-per-request", "2")
                .option("stream-window", Integer.toString(WINDOW))
                .option("concurrency", "4")
                .sources(new Properties(), Map.of())
                .build()) {
      try (Stream<Embedding> stream = bw.embedder().embedStream(texts.iterator())) {
        Iterator<Embedding> results = stream.iterator();
        Embedding first = results.next();
        assertThat(first.index()).isZero();
        assertThat(first.vector())
            .containsExactly(FakeOpenAiServer.vectorFor(texts.get(0), DIMENSIONS));
        // the second window is embedded while the first is consumed: its two requests are in flight
        Await.until(
            "the second window's requests reach the server",
            Duration.ofSeconds(20),
            () -> server.held() == 2);
      }
      Await.until(
          "the client hangs up both requests in flight",
          Duration.ofSeconds(20),
          () -> server.hangUps() == 2);
      List<List<String>> received = server.received();
      assertThat(received).as("two requests per window, two windows").hasSize(4);
      assertThat(received).allSatisfy(inputs -> assertThat(firstTwoWindows).containsAll(inputs));
    }
  }
}
