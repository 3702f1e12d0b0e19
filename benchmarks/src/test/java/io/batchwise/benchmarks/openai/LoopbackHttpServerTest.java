package io.batchwise.benchmarks.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's minimal HTTP/1.1 server: bodies by length and chunked, keep-alive, status lines.
 */
class LoopbackHttpServerTest {

  private static LoopbackHttpServer echo(List<String> seen) throws Exception {
    return new LoopbackHttpServer(
        (method, path, body, arrived) -> {
          seen.add(method + " " + path + " " + new String(body, StandardCharsets.UTF_8));
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.writeBytes(("{\"bytes\":" + body.length + "}").getBytes(StandardCharsets.US_ASCII));
          return new LoopbackHttpServer.Response(path.equals("/v1/embeddings") ? 200 : 404, out);
        });
  }

  @Test
  @DisplayName(
      "reads Content-Length and chunked bodies, keeps the connection, and answers with the handler's status")
  void readsBothBodyFramings() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (LoopbackHttpServer server = echo(seen)) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/embeddings?x=1");
      String body = "{\"input\":[\"a\",\"b\"]}";

      HttpResponse<String> sized =
          client.send(
              HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.ofString());
      // a publisher of unknown length is sent chunked
      HttpResponse<String> chunked =
          client.send(
              HttpRequest.newBuilder(uri)
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> elsewhere =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/models"))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(sized.statusCode()).isEqualTo(200);
      assertThat(sized.body()).isEqualTo("{\"bytes\":" + body.length() + "}");
      assertThat(chunked.statusCode()).isEqualTo(200);
      assertThat(chunked.body()).isEqualTo(sized.body());
      assertThat(elsewhere.statusCode()).isEqualTo(404);
      assertThat(seen)
          .containsExactly(
              "POST /v1/embeddings " + body, "POST /v1/embeddings " + body, "GET /v1/models ");
    }
  }
}
