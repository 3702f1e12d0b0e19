package io.batchwise.providers.openai;

import static io.batchwise.providers.openai.MapperTestSupport.INSTRUCTION;
import static io.batchwise.providers.openai.MapperTestSupport.batchwise;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.map.MapResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The answer cache, in a SQLite file shared by instances: a rerun with nothing changed is answered
 * by the cache; changing any part of what decides an answer — the endpoint, the model, the
 * instruction, the schema, the temperature, the seed — alone is a miss; the key is never in the
 * file.
 */
@Timeout(60)
class MapperCacheTest {
  private static final List<String> ITEMS = TestProviders.texts(12, "item");
  private static final String OTHER_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"label\":{\"type\":\"string\"},\"chars\":{\"type\":\"integer\"}}}";

  @StartStop final MockWebServer server = new MockWebServer();

  @TempDir Path dir;

  private final FakeChatServer chat = new FakeChatServer();

  private MapResult run(String base, String instruction, String schema, String... options) {
    server.setDispatcher(chat);
    List<String> all =
        new ArrayList<>(
            List.of("cache", "sqlite", "cache.path", dir.resolve("answers.db").toString()));
    all.addAll(List.of(options));
    try (Batchwise bw = batchwise(server.url(base).toString(), all.toArray(String[]::new))) {
      return bw.mapper().mapAll(ITEMS, instruction, schema);
    }
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of(
            "the endpoint", "/other/v1", INSTRUCTION, FakeChatServer.SCHEMA, new String[0]),
        Arguments.of(
            "the model",
            "/v1",
            INSTRUCTION,
            FakeChatServer.SCHEMA,
            new String[] {"openai.chat.model", "gpt-4o"}),
        Arguments.of(
            "the instruction",
            "/v1",
            INSTRUCTION + " Be brief.",
            FakeChatServer.SCHEMA,
            new String[0]),
        Arguments.of("the schema", "/v1", INSTRUCTION, OTHER_SCHEMA, new String[0]),
        Arguments.of(
            "the temperature",
            "/v1",
            INSTRUCTION,
            FakeChatServer.SCHEMA,
            new String[] {"openai.chat.temperature", "0.7"}),
        Arguments.of(
            "the seed",
            "/v1",
            INSTRUCTION,
            FakeChatServer.SCHEMA,
            new String[] {"openai.chat.seed", "42"}));
  }

  @ParameterizedTest(name = "changing {0} alone is a miss")
  @MethodSource("changes")
  void eachPartOfTheKey(
      String what, String base, String instruction, String schema, String[] options) {
    MapResult first = run("/v1", INSTRUCTION, FakeChatServer.SCHEMA);
    assertThat(first.usage().cacheHits()).isZero();
    int afterFirst = chat.requests();
    MapResult same = run("/v1", INSTRUCTION, FakeChatServer.SCHEMA);
    assertThat(same.usage().cacheHits()).as("nothing changed: all hits").isEqualTo(ITEMS.size());
    assertThat(chat.requests()).isEqualTo(afterFirst);

    MapResult changed = run(base, instruction, schema, options);
    assertThat(changed.usage().cacheHits()).as("%s changed", what).isZero();
    assertThat(chat.requests()).isGreaterThan(afterFirst);
    assertThat(changed.allSucceeded()).isTrue();
  }

  @Test
  @DisplayName(
      "schemas equal but for key order and spacing share answers; the key is never written to the file")
  void schemaLayoutAndSecrets() throws Exception {
    run("/v1", INSTRUCTION, FakeChatServer.SCHEMA);
    String reordered =
        "{ \"required\": [\"label\", \"chars\"], \"additionalProperties\": false, \"type\": \"object\",\n"
            + "  \"properties\": {\"chars\": {\"type\": \"integer\"}, \"label\": {\"enum\": [\"alpha\", \"beta\", \"gamma\"]}} }";
    assertThat(run("/v1", INSTRUCTION, reordered).usage().cacheHits()).isEqualTo(ITEMS.size());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
            .doesNotContain(TestProviders.KEY);
      }
    }
  }
}
