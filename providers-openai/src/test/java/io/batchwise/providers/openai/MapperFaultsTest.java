package io.batchwise.providers.openai;

import static io.batchwise.providers.openai.MapperTestSupport.INSTRUCTION;
import static io.batchwise.providers.openai.MapperTestSupport.batchwise;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.map.MapResult;
import io.batchwise.providers.openai.FakeChatServer.Fault;
import io.batchwise.providers.openai.FakeChatServer.Kind;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 2,000 items through a chat server that misbehaves in every way once: each answer is exact and at
 * its index, only the items of a faulty request are asked again, each fault costs at most one extra
 * request (a context-length refusal, which splits its request in two, two), and a rerun is answered
 * by the cache.
 */
@Timeout(120)
class MapperFaultsTest {
  private static final int ITEMS = 2000;
  private static final int PER_REQUEST = 20;

  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  @DisplayName(
      "2,000 items, nine kinds of fault: every answer exact and in order, only faulty requests' items asked again")
  void everyFaultOnce() {
    List<String> items = TestProviders.texts(ITEMS, "item");
    // triggers spread over different requests of 20
    List<Fault> faults =
        List.of(
            new Fault(Kind.RATE_LIMITED, "item 105"),
            new Fault(Kind.SERVER_ERROR, "item 305"),
            new Fault(Kind.TRUNCATED_BODY, "item 505"),
            new Fault(Kind.SOME_IDS, "item 705"),
            new Fault(Kind.DUPLICATE_ID, "item 905"),
            new Fault(Kind.INVALID_JSON, "item 1105"),
            new Fault(Kind.SCHEMA_VIOLATION, "item 1305"),
            new Fault(Kind.CUT_OFF, "item 1505"),
            new Fault(Kind.CONTEXT_LENGTH, "item 1705"));
    FakeChatServer chat = new FakeChatServer().faults(faults.toArray(Fault[]::new));
    server.setDispatcher(chat);
    String url = server.url("/v1").toString();
    try (Batchwise bw =
        batchwise(
            url,
            "openai.chat.items-per-request",
            String.valueOf(PER_REQUEST),
            "cache",
            "caffeine",
            "concurrency",
            "4")) {
      MapResult result = bw.mapper().mapAll(items, INSTRUCTION, FakeChatServer.SCHEMA);

      assertThat(chat.unfired()).as("every fault fired").isEmpty();
      for (int i = 0; i < ITEMS; i++) {
        assertThat(result.results().get(i).index()).isEqualTo(i);
        assertThat(result.results().get(i).answer())
            .as("item %d", i)
            .isEqualTo(FakeChatServer.answerText(INSTRUCTION, items.get(i)));
      }

      // only the items of a faulty request were asked more than once
      Set<String> faulty = new HashSet<>();
      chat.seen().stream().filter(s -> s.fault() != null).forEach(s -> faulty.addAll(s.items()));
      Map<String, Integer> asked = chat.askedPerItem();
      for (String item : items) {
        if (!faulty.contains(item)) {
          assertThat(asked.get(item)).as("asked for %s", item).isEqualTo(1);
        }
      }
      // the items a fault spared (the answered ids of SOME_IDS, the good answers of DUPLICATE_ID,
      // SCHEMA_VIOLATION and CUT_OFF) are not asked again either
      assertThat(asked.get("item 704"))
          .isEqualTo(1); // SOME_IDS answers even positions of its request
      assertThat(asked.get("item 904")).isEqualTo(1);
      assertThat(asked.get("item 1304")).isEqualTo(1);
      assertThat(asked.get("item 905")).isEqualTo(2);
      assertThat(asked.get("item 1305")).isEqualTo(2);

      int baseline = ITEMS / PER_REQUEST;
      assertThat(chat.requests())
          .as(
              "requests: %d without faults, at most one extra per fault (two for the split)",
              baseline)
          .isBetween(baseline + 3, baseline + faults.size() + 1);
      assertThat(result.usage().calls()).isEqualTo(chat.requests());
      assertThat(result.usage().retries()).isEqualTo(chat.requests() - baseline);
      assertThat(result.usage().failed()).isZero();
      assertThat(result.usage().cacheHits()).isZero();
      assertThat(result.results().get(1705).attempts()).isEqualTo(2);
      assertThat(result.results().get(0).attempts()).isEqualTo(1);

      int before = chat.requests();
      MapResult again = bw.mapper().mapAll(items, INSTRUCTION, FakeChatServer.SCHEMA);
      assertThat(chat.requests()).as("a rerun is answered by the cache").isEqualTo(before);
      assertThat(again.usage().cacheHits()).isEqualTo(ITEMS);
      assertThat(again.answers()).isEqualTo(result.answers());
      assertThat(again.results()).allSatisfy(a -> assertThat(a.cacheHit()).isTrue());
    }
  }

  @Test
  @DisplayName(
      "an answer that stays wrong fails alone after the attempts, naming the item and the reason")
  void persistentlyWrongAnswerFailsAlone() {
    FakeChatServer chat =
        new FakeChatServer()
            .faults(
                new Fault(Kind.SCHEMA_VIOLATION, "item 3"),
                new Fault(Kind.SCHEMA_VIOLATION, "item 3"),
                new Fault(Kind.SCHEMA_VIOLATION, "item 3"));
    server.setDispatcher(chat);
    List<String> items = TestProviders.texts(10, "item");
    try (Batchwise bw = batchwise(server.url("/v1").toString())) {
      MapResult result = bw.mapper().mapAll(items, INSTRUCTION, FakeChatServer.SCHEMA);
      assertThat(result.results().get(3).succeeded()).isFalse();
      assertThat(result.results().get(3).error().getMessage())
          .startsWith(
              "item 3: no acceptable answer after 3 requests (openai.chat.answer-attempts=3); the last: its answer")
          .contains("does not match the schema")
          .contains("none of these");
      assertThat(result.results().get(3).attempts()).isEqualTo(3);
      for (int i = 0; i < items.size(); i++) {
        if (i != 3) {
          assertThat(result.results().get(i).answer())
              .isEqualTo(FakeChatServer.answerText(INSTRUCTION, items.get(i)));
        }
      }
      // the first request, then item 3 alone twice (it was the only one to ask again)
      assertThat(chat.seen()).extracting(s -> s.items().size()).containsExactly(10, 1, 1);
    }
  }
}
