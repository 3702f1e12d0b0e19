package io.batchwise.providers.openai;

import static io.batchwise.providers.openai.MapperTestSupport.INSTRUCTION;
import static io.batchwise.providers.openai.MapperTestSupport.batchwise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchwise.Batchwise;
import io.batchwise.map.MapResult;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code openai} mapper against a loopback chat server: packing, answers by id, the request.
 */
class OpenAiMapperTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private final FakeChatServer chat = new FakeChatServer();

  private String url() {
    server.setDispatcher(chat);
    return server.url("/v1").toString();
  }

  @Test
  @DisplayName(
      "packs items into requests and maps each answer back to its item by id, in input order")
  void packsAndMapsBack() {
    List<String> items = TestProviders.texts(45, "headline");
    try (Batchwise bw = batchwise(url(), "openai.chat.items-per-request", "20")) {
      MapResult result = bw.mapper().mapAll(items, INSTRUCTION, FakeChatServer.SCHEMA);
      List<String> expected =
          items.stream().map(t -> FakeChatServer.answerText(INSTRUCTION, t)).toList();
      assertThat(result.answers()).containsExactlyElementsOf(expected);
      assertThat(chat.requests()).isEqualTo(3);
      assertThat(chat.seen())
          .extracting(s -> s.items().size())
          .containsExactlyInAnyOrder(20, 20, 5);
      assertThat(result.usage().calls()).isEqualTo(3);
      assertThat(result.usage().retries()).isZero();
      assertThat(result.usage().promptTokens())
          .isEqualTo(chat.seen().stream().mapToLong(FakeChatServer.Seen::promptTokens).sum());
      assertThat(result.usage().completionTokens()).isPositive();
      assertThat(result.results()).allSatisfy(a -> assertThat(a.attempts()).isEqualTo(1));
    }
  }

  @Test
  @DisplayName("asks identical items once, and a blank item fails alone naming its index")
  void dedupeAndBadItems() {
    List<String> items = new ArrayList<>(List.of("apples", "pears", "apples", "   ", "pears"));
    items.add(null);
    try (Batchwise bw = batchwise(url())) {
      MapResult result = bw.mapper().mapAll(items, INSTRUCTION, null);
      assertThat(chat.seen())
          .singleElement()
          .satisfies(s -> assertThat(s.items()).containsExactly("apples", "pears"));
      assertThat(result.results().get(0).answer())
          .isEqualTo(FakeChatServer.answerText(INSTRUCTION, "apples"));
      assertThat(result.results().get(2).answer()).isEqualTo(result.results().get(0).answer());
      assertThat(result.results().get(4).answer())
          .isEqualTo(FakeChatServer.answerText(INSTRUCTION, "pears"));
      assertThat(result.results().get(3).error()).hasMessage("item 3 is whitespace only");
      assertThat(result.results().get(5).error()).hasMessage("item 5 is null");
      assertThat(result.usage().uniqueItems()).isEqualTo(2);
      assertThat(result.usage().failed()).isEqualTo(2);
      assertThatThrownBy(result::answers)
          .hasMessageContaining("2 of 6 items failed (indexes 3, 5)");
    }
  }

  @Test
  @DisplayName("sends the instruction, the schema as structured output, and one JSON line per item")
  void theRequest() {
    try (Batchwise bw = batchwise(url(), "openai.chat.temperature", "0", "openai.chat.seed", "7")) {
      bw.mapper()
          .mapAll(List.of("one \"quoted\"\nline", "two"), INSTRUCTION, FakeChatServer.SCHEMA);
    }
    JsonNode body = chat.seen().get(0).body();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.path("messages").path(0).path("content").asText())
        .startsWith(INSTRUCTION + "\n\n")
        .contains("\"label\"");
    assertThat(body.path("messages").path(1).path("content").asText())
        .contains(
            "{\"id\":\"0\",\"text\":\"one \\\"quoted\\\"\\nline\"}\n{\"id\":\"1\",\"text\":\"two\"}\n");
    JsonNode format = body.path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
    assertThat(
            format
                .path("json_schema")
                .path("schema")
                .path("properties")
                .path("answers")
                .path("items")
                .path("properties")
                .path("answer")
                .path("properties")
                .path("label")
                .path("enum"))
        .hasSize(3);
    assertThat(body.path("temperature").asDouble()).isZero();
    assertThat(body.path("seed").asLong()).isEqualTo(7);
    assertThat(body.path("max_tokens").asInt())
        .isPositive(); // not api.openai.com: the common field
  }

  @Test
  @DisplayName(
      "the Responses API: instructions, input, text.format and max_output_tokens; answers read from output_text")
  void responsesApi() {
    List<String> items = TestProviders.texts(7, "item");
    try (Batchwise bw = batchwise(url(), "openai.chat.api", "responses")) {
      MapResult result = bw.mapper().mapAll(items, INSTRUCTION, FakeChatServer.SCHEMA);
      assertThat(result.answers())
          .containsExactlyElementsOf(
              items.stream().map(t -> FakeChatServer.answerText(INSTRUCTION, t)).toList());
    }
    FakeChatServer.Seen seen = chat.seen().get(0);
    assertThat(seen.path()).isEqualTo("/v1/responses");
    assertThat(seen.body().path("instructions").asText()).startsWith(INSTRUCTION);
    assertThat(seen.body().path("text").path("format").path("type").asText())
        .isEqualTo("json_schema");
    assertThat(seen.body().path("max_output_tokens").asInt()).isPositive();
    assertThat(seen.body().path("store").asBoolean(true)).isFalse();
  }

  @Test
  @DisplayName(
      "a server without structured output is asked for json_object from then on; answers are still checked")
  void fallsBackFromJsonSchema() {
    chat.rejectJsonSchema();
    List<String> items = TestProviders.texts(5, "item");
    try (Batchwise bw = batchwise(url())) {
      MapResult result = bw.mapper().mapAll(items, INSTRUCTION, FakeChatServer.SCHEMA);
      assertThat(result.allSucceeded()).isTrue();
      bw.mapper().mapAll(List.of("later"), INSTRUCTION, FakeChatServer.SCHEMA);
    }
    assertThat(chat.seen())
        .extracting(s -> s.body().path("response_format").path("type").asText())
        .containsExactly("json_schema", "json_object", "json_object");
  }

  @Test
  @DisplayName("an invalid schema fails the run at once, naming the problem; nothing is sent")
  void invalidSchema() {
    try (Batchwise bw = batchwise(url())) {
      assertThatThrownBy(() -> bw.mapper().mapAll(List.of("a"), INSTRUCTION, "{\"type\": "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the answer schema is not valid JSON");
      assertThatThrownBy(() -> bw.mapper().mapAll(List.of("a"), INSTRUCTION, "[1, 2]"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be a JSON object");
      assertThatThrownBy(() -> bw.mapper().mapAll(List.of("a"), " ", null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("instruction is blank");
    }
    assertThat(chat.requests()).isZero();
  }

  @Test
  @DisplayName("a schema's $ref to another URL is never fetched: the schema fails to compile")
  void schemaRefsAreNotFetched() {
    String elsewhere = server.url("/schemas/label.json").toString();
    try (Batchwise bw = batchwise(url())) {
      assertThatThrownBy(
              () ->
                  bw.mapper()
                      .mapAll(List.of("a"), INSTRUCTION, "{\"$ref\": \"" + elsewhere + "\"}"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the answer schema cannot be used");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  @DisplayName("one request per item when items-per-request is 1")
  void oneRequestPerItem() {
    try (Batchwise bw = batchwise(url(), "openai.chat.items-per-request", "1")) {
      MapResult result = bw.mapper().mapAll(TestProviders.texts(6, "x"), INSTRUCTION, null);
      assertThat(result.allSucceeded()).isTrue();
      assertThat(result.usage().calls()).isEqualTo(6);
    }
    assertThat(chat.seen()).allSatisfy(s -> assertThat(s.items()).hasSize(1));
  }

  @Test
  @DisplayName("the cost is the server's tokens at the model's list price")
  void cost() {
    try (Batchwise bw = batchwise(url())) {
      MapResult result = bw.mapper().mapAll(TestProviders.texts(3, "x"), INSTRUCTION, null);
      double expected =
          (result.usage().promptTokens() * 0.15 + result.usage().completionTokens() * 0.60) / 1e6;
      assertThat(result.usage().costUsd())
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    }
  }
}
