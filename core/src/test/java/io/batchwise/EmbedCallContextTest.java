package io.batchwise;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.CallContext;
import io.batchwise.spi.InputType;
import io.batchwise.testing.Await;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline hands a provider with each call: the embed's input type, and a context that
 * turns cancelled once nobody waits for the call.
 */
class EmbedCallContextTest {

  private static Batchwise open(FakeEmbeddingProvider provider, String... options) {
    Batchwise.Builder b =
        Batchwise.builder().provider(provider).sources(new Properties(), Map.of());
    for (int i = 0; i < options.length; i += 2) {
      b.option(options[i], options[i + 1]);
    }
    return b.build();
  }

  @Test
  @DisplayName(
      "every call carries the embed's input type: documents unless the embed says otherwise")
  void callsCarryTheInputType() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    try (Batchwise bw = open(provider)) {
      bw.embedder().embedAll(List.of("a document", "another document"));
      assertThat(provider.inputTypes).containsOnly(InputType.DOCUMENT);
      provider.inputTypes.clear();
      bw.embedder().embedAll(List.of("a query", "another query"), InputType.QUERY);
      bw.embedder().embedQuery("one more query");
      bw.embedder().embedStream(List.of("streamed query").iterator(), InputType.QUERY).toList();
      bw.embedder().embedAllAsync(List.of("async query"), InputType.QUERY).join();
      assertThat(provider.inputTypes).hasSize(4).containsOnly(InputType.QUERY);
    }
  }

  @Test
  @DisplayName(
      "a call's context turns cancelled when its embed is cancelled, and stays clear while it runs")
  void cancellingTheEmbedCancelsTheContext() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small().holdEachCall();
    try (Batchwise bw = open(provider)) {
      CompletableFuture<EmbedResult> embed = bw.embedder().embedAllAsync(List.of("held text"));
      Await.until("the call to start", Duration.ofSeconds(10), () -> !provider.held.isEmpty());
      CallContext context = provider.held.peek().context();
      assertThat(context.isCancelled()).as("while the embed waits for the call").isFalse();
      embed.cancel(true);
      assertThat(context.isCancelled()).as("once nobody waits for the call").isTrue();
    }
  }

  @Test
  @DisplayName("a call's context turns cancelled when the call times out")
  void aTimedOutCallsContextIsCancelled() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small().holdEachCall();
    try (Batchwise bw = open(provider, "call-timeout", "200ms", "max-attempts", "1")) {
      EmbedResult result = bw.embedder().embedAll(List.of("never answered"));
      assertThat(result.allSucceeded()).isFalse();
      assertThat(provider.held)
          .singleElement()
          .satisfies(c -> assertThat(c.context().isCancelled()).isTrue());
    }
  }
}
