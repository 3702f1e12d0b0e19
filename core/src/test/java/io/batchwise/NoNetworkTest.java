package io.batchwise;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.testing.FakeEmbeddingProvider;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Nothing in core opens a connection the user did not ask for: no telemetry, no downloads. */
class NoNetworkTest {

  @Test
  @DisplayName("building, embedding and closing asks for no network connection")
  void noConnectionsAttempted() {
    List<URI> attempted = new CopyOnWriteArrayList<>();
    ProxySelector original = ProxySelector.getDefault();
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            attempted.add(uri);
            throw new IllegalStateException("network access attempted: " + uri);
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
    try (Batchwise bw = Batchwise.builder().provider(FakeEmbeddingProvider.small()).build()) {
      bw.embedder().embedAll(List.of("offline", "only"));
      bw.tokenizers().available();
    } finally {
      ProxySelector.setDefault(original);
    }
    assertThat(attempted).isEmpty();
  }
}
