package io.batchwise.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.Batchwise;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * The Batchwise modules whose libraries Spring Boot's BOM moves to older lines than Batchwise's
 * parent pins work on Boot's: the {@code openai} provider reads answers with Boot's Jackson 2.21,
 * and the {@code redis} cache stores and serves vectors with Boot's Lettuce 6.8 (against a real
 * Redis server). The provider is an OpenAI-compatible server on loopback.
 */
class BootManagedVersionsTest {
  private static final String ANSWER =
      "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
          + "\"embedding\":[0.5,0.5,0.5,0.5]},{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.5,-0.5,0.5,-0.5]}],"
          + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}";

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Batchwise.Builder openai() {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body(ANSWER)
            .build());
    return Batchwise.builder()
        .provider("openai")
        .sources(new Properties(), Map.of())
        .options(
            Map.of(
                "openai.api-key",
                "sk-test",
                "openai.base-url",
                server.url("/v1").toString(),
                "openai.dimensions",
                "4",
                "openai.encoding-format",
                "float"));
  }

  @Test
  void theOpenAiProviderReadsAnswersWithBootsJackson() {
    assertThat(jar(ObjectMapper.class)).startsWith("jackson-databind-2.21.");
    try (Batchwise bw = openai().build()) {
      List<float[]> vectors = bw.embedder().embedAll(List.of("first", "second")).vectors();
      assertThat(vectors.get(0)).containsExactly(0.5f, 0.5f, 0.5f, 0.5f);
      assertThat(vectors.get(1)).containsExactly(0.5f, -0.5f, 0.5f, -0.5f);
    }
  }

  @Test
  void theRedisCacheWorksWithBootsLettuce() throws IOException {
    assertThat(jar(RedisClient.class)).startsWith("lettuce-core-6.8.");
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    RedisServer redis =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .soutListener(line -> {})
            .serrListener(line -> {})
            .build();
    redis.start();
    try {
      Map<String, String> cache =
          Map.of("cache.uri", "redis://127.0.0.1:" + port, "cache.redis.timeout", "10s");
      try (Batchwise first = openai().cache("redis").options(cache).build()) {
        assertThat(first.embedder().embedAll(List.of("first", "second")).usage().cacheHits())
            .isZero();
      }
      try (Batchwise second = openai().cache("redis").options(cache).build()) {
        assertThat(second.embedder().embedAll(List.of("first", "second")).vectors().get(1))
            .containsExactly(0.5f, -0.5f, 0.5f, -0.5f);
      }
      assertThat(server.getRequestCount())
          .as("requests: the second run is served by Redis")
          .isEqualTo(1);
    } finally {
      redis.stop();
    }
  }

  private static String jar(Class<?> type) {
    String path = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
