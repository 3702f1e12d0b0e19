package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.InputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the provider sends: URL, headers and JSON body, for OpenAI, Azure and keyless local servers.
 */
class OpenAiRequestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private MockWebServer server;
  private final FakeOpenAiServer fake = new FakeOpenAiServer();

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(fake);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RecordedRequest send(Map<String, String> options, List<String> texts) throws Exception {
    try (RemoteEmbeddingProvider provider = TestProviders.create(options)) {
      provider.embed(texts, CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS);
    }
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  private static JsonNode body(RecordedRequest r) throws Exception {
    return JSON.readTree(r.getBody().utf8());
  }

  @Test
  @DisplayName(
      "posts model, every input in order, and base64 encoding to {base}/embeddings with a bearer key")
  void postsTheOpenAiRequest() throws Exception {
    fake.dimensions(1536);
    List<String> texts =
        List.of("first", "second \"quoted\"\nline", "emoji 🚀 and ünïcödé", "  spaces  ");
    RecordedRequest r =
        send(
            Map.of(
                "openai.base-url",
                server.url("/v1").toString(),
                "openai.api-key",
                TestProviders.KEY),
            texts);

    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/embeddings");
    assertThat(r.getUrl().querySize()).isZero();
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TestProviders.KEY);
    assertThat(r.getHeaders().get("api-key")).isNull();
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(r.getHeaders().get("OpenAI-Organization")).isNull();
    assertThat(r.getHeaders().get("OpenAI-Project")).isNull();

    JsonNode body = body(r);
    assertThat(body.get("model").asText()).isEqualTo("text-embedding-3-small");
    List<String> sent = new ArrayList<>();
    body.get("input").forEach(n -> sent.add(n.asText()));
    assertThat(sent).containsExactlyElementsOf(texts);
    assertThat(body.get("encoding_format").asText()).isEqualTo("base64");
    assertThat(body.has("dimensions")).as("native dimensions are not sent").isFalse();
    assertThat(body.has("user")).isFalse();
  }

  @Test
  @DisplayName("sends organization, project, user and shortened dimensions when configured")
  void sendsOptionalFieldsAndHeaders() throws Exception {
    RecordedRequest r =
        send(
            TestProviders.options(
                server.url("/v1/").toString(), // a trailing slash must not double the slash
                "openai.organization",
                "org-123",
                "openai.project",
                "proj_456",
                "openai.user",
                "user-789",
                "openai.dimensions",
                "8"),
            List.of("a"));
    assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/embeddings");
    assertThat(r.getHeaders().get("OpenAI-Organization")).isEqualTo("org-123");
    assertThat(r.getHeaders().get("OpenAI-Project")).isEqualTo("proj_456");
    JsonNode body = body(r);
    assertThat(body.get("dimensions").asInt()).isEqualTo(8);
    assertThat(body.get("user").asText()).isEqualTo("user-789");
  }

  @Test
  @DisplayName("asks for float when configured")
  void sendsFloatEncodingWhenConfigured() throws Exception {
    RecordedRequest r =
        send(
            TestProviders.options(server.url("/v1").toString(), "openai.encoding-format", "float"),
            List.of("a"));
    assertThat(body(r).get("encoding_format").asText()).isEqualTo("float");
  }

  @Test
  @DisplayName("uses the Azure deployment URL with api-version and the api-key header")
  void usesAzureStyle() throws Exception {
    RecordedRequest r =
        send(
            TestProviders.options(
                server.url("/").toString(),
                "openai.azure-deployment",
                "my-embeddings",
                "openai.azure-api-version",
                "2024-06-01"),
            List.of("a", "b"));
    assertThat(r.getUrl().encodedPath()).isEqualTo("/openai/deployments/my-embeddings/embeddings");
    assertThat(r.getUrl().queryParameter("api-version")).isEqualTo("2024-06-01");
    assertThat(r.getHeaders().get("api-key")).isEqualTo(TestProviders.KEY);
    assertThat(r.getHeaders().get("Authorization")).isNull();
    assertThat(body(r).get("input")).hasSize(2);
  }

  @Test
  @DisplayName("sends no authentication to a local server configured without a key")
  void sendsNoKeyWhenNoneIsConfigured() throws Exception {
    RecordedRequest r =
        send(
            Map.of(
                "openai.base-url", server.url("/v1").toString(),
                "openai.model", "nomic-embed-text",
                "openai.dimensions", "8"),
            List.of("a"));
    assertThat(r.getHeaders().get("Authorization")).isNull();
    assertThat(r.getHeaders().get("api-key")).isNull();
    JsonNode body = body(r);
    assertThat(body.get("model").asText()).isEqualTo("nomic-embed-text");
    assertThat(body.has("dimensions"))
        .as(
            "for a model it does not know, openai.dimensions states the expected length; it is not sent")
        .isFalse();
  }

  @Test
  @DisplayName("sends dimensions for an unknown model when told to always send them")
  void sendsDimensionsWhenAlways() throws Exception {
    RecordedRequest r =
        send(
            Map.of(
                "openai.base-url", server.url("/v1").toString(),
                "openai.model", "my-matryoshka-model",
                "openai.dimensions", "8",
                "openai.send-dimensions", "always"),
            List.of("a"));
    assertThat(body(r).get("dimensions").asInt()).isEqualTo(8);
  }

  @Test
  @DisplayName(
      "with openai.query-prefix and openai.document-prefix, each call sends its texts after the prefix of its input type")
  void sendsThePrefixOfTheCallsInputType() throws Exception {
    Map<String, String> options =
        TestProviders.options(
            server.url("/v1").toString(),
            "openai.model",
            "e5-large-v2",
            "openai.dimensions",
            "8",
            "openai.query-prefix",
            "query: ",
            "openai.document-prefix",
            "passage: ",
            "openai.max-tokens-per-input",
            "512",
            "openai.max-inputs-per-request",
            "32",
            "openai.max-tokens-per-request",
            "16384");
    try (RemoteEmbeddingProvider provider = TestProviders.create(options)) {
      provider
          .embed(List.of("what is a starter", "why"), CallContext.of(InputType.QUERY))
          .get(10, TimeUnit.SECONDS);
      provider
          .embed(List.of("A starter is fed daily."), CallContext.of(InputType.DOCUMENT))
          .get(10, TimeUnit.SECONDS);
      // the limits the pipeline packs by are the texts' own: what the longer prefix adds is taken
      // off
      // ("passage: " is 3 cl100k tokens, plus one of margin), per input and for each input of a
      // request
      int prefix = provider.tokenizer().count("passage: ") + 1;
      assertThat(provider.modelInfo().maxTokensPerInput()).isEqualTo(512 - prefix);
      assertThat(provider.modelInfo().maxTokensPerCall()).isEqualTo(16384 - 32 * prefix);
      assertThat(provider.identity().attributes())
          .containsEntry("query-prefix", "query:")
          .containsEntry("document-prefix", "passage:");
    }
    List<String> query = new ArrayList<>();
    body(server.takeRequest(5, TimeUnit.SECONDS)).get("input").forEach(n -> query.add(n.asText()));
    List<String> document = new ArrayList<>();
    body(server.takeRequest(5, TimeUnit.SECONDS))
        .get("input")
        .forEach(n -> document.add(n.asText()));
    assertThat(query).containsExactly("query: what is a starter", "query: why");
    assertThat(document).containsExactly("passage: A starter is fed daily.");
  }

  @Test
  @DisplayName(
      "without prefixes both input types send the texts as they are, and the identity says so")
  void sendsTextsAsTheyAreWithoutPrefixes() throws Exception {
    try (RemoteEmbeddingProvider provider =
        TestProviders.create(TestProviders.options(server.url("/v1").toString()))) {
      provider.embed(List.of("plain"), CallContext.of(InputType.QUERY)).get(10, TimeUnit.SECONDS);
      assertThat(provider.identity().attributes())
          .containsEntry("query-prefix", "")
          .containsEntry("document-prefix", "");
    }
    assertThat(body(server.takeRequest(5, TimeUnit.SECONDS)).get("input").get(0).asText())
        .isEqualTo("plain");
  }

  @Test
  @DisplayName("makes exactly one request per call, reusing one connection for calls in turn")
  void oneRequestPerCallOnAPooledConnection() throws Exception {
    try (RemoteEmbeddingProvider provider =
        TestProviders.create(TestProviders.options(server.url("/v1").toString()))) {
      for (int i = 0; i < 5; i++) {
        provider
            .embed(List.of("call " + i, "second"), CallContext.of(InputType.DOCUMENT))
            .get(10, TimeUnit.SECONDS);
      }
    }
    assertThat(server.getRequestCount()).isEqualTo(5);
    List<Integer> connections = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      connections.add(server.takeRequest(1, TimeUnit.SECONDS).getConnectionIndex());
    }
    assertThat(connections).containsOnly(connections.get(0));
  }
}
