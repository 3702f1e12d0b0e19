package io.batchwise.providers.openai;

import static io.batchwise.providers.openai.MapperTestSupport.INSTRUCTION;
import static io.batchwise.providers.openai.MapperTestSupport.batchwise;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.map.MapPlan;
import io.batchwise.map.MapResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Token budgets: a request's prompt (instruction, format, items) and the answer tokens it allows
 * never exceed the model's context window, as the server counts them; an item too large for the
 * window fails alone, naming itself and the limit; the answer tokens predicted grow when a reply is
 * cut off.
 */
@Timeout(60)
class MapperTokenBudgetTest {
  private static final int WINDOW = 2048;

  @StartStop final MockWebServer server = new MockWebServer();

  private static List<String> mixedItems(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder("item ").append(i);
      int words = 1 + random.nextInt(i % 7 == 0 ? 300 : 30);
      for (int w = 0; w < words; w++) {
        b.append(' ').append(Long.toString(random.nextLong() & 0xffffff, 36));
      }
      items.add(b.toString());
    }
    return items;
  }

  @Test
  @DisplayName(
      "no request's prompt plus allowed answer exceeds the window, counted as the server counts; items ride many to a request")
  void batchesStayWithinTheWindow() {
    FakeChatServer chat = new FakeChatServer().window(WINDOW); // refuses anything over the window
    server.setDispatcher(chat);
    List<String> items = mixedItems(300, 1);
    try (Batchwise bw =
        batchwise(
            server.url("/v1").toString(),
            "openai.chat.model",
            "local-model",
            "openai.chat.context-window",
            String.valueOf(WINDOW),
            "openai.chat.answer-tokens",
            "40",
            "openai.chat.items-per-request",
            "50")) {
      MapResult result = bw.mapper().mapAll(items, INSTRUCTION, FakeChatServer.SCHEMA);
      assertThat(result.answers()).hasSize(items.size());
      MapPlan plan = bw.mapper().plan(items, INSTRUCTION, FakeChatServer.SCHEMA);
      assertThat(plan.calls()).as("the dry run's plan is what was sent").isEqualTo(chat.requests());
    }
    assertThat(chat.seen())
        .allSatisfy(
            s -> {
              assertThat(s.fault()).isNull();
              assertThat(s.promptTokens() + s.maxTokens()).isLessThanOrEqualTo(WINDOW);
              assertThat(s.maxTokens()).isGreaterThanOrEqualTo(s.items().size() * 40);
            });
    assertThat(chat.requests()).isLessThan(items.size() / 3);
  }

  @Test
  @DisplayName(
      "an item larger than the window fails alone, naming its index, its tokens and the limit; the rest are answered")
  void oversizeItemFailsAlone() {
    FakeChatServer chat = new FakeChatServer();
    server.setDispatcher(chat);
    List<String> items = new ArrayList<>(TestProviders.texts(5, "small"));
    items.add(2, "word ".repeat(3000));
    try (Batchwise bw =
        batchwise(
            server.url("/v1").toString(),
            "openai.chat.model",
            "local-model",
            "openai.chat.context-window",
            String.valueOf(WINDOW))) {
      MapPlan plan = bw.mapper().plan(items, INSTRUCTION, null);
      assertThat(plan.oversize()).isEqualTo(1);
      MapResult result = bw.mapper().mapAll(items, INSTRUCTION, null);
      assertThat(result.results().get(2).error().getMessage())
          .startsWith("item 2: has ")
          .contains(
              "more than the model's context window of 2048 tokens (openai.chat.context-window)");
      assertThat(result.results().get(2).attempts()).isZero();
      assertThat(result.usage().failed()).isEqualTo(1);
      for (int i : new int[] {0, 1, 3, 4, 5}) {
        assertThat(result.results().get(i).answer())
            .isEqualTo(FakeChatServer.answerText(INSTRUCTION, items.get(i)));
      }
    }
    // the reply of one request may hold 1,024 tokens here (half the window, for a model it does not
    // know), three predicted answers of 256: the five small items go in two requests, the large one
    // in none
    assertThat(chat.seen())
        .flatExtracting(FakeChatServer.Seen::items)
        .containsExactlyInAnyOrderElementsOf(TestProviders.texts(5, "small"));
  }

  @Test
  @DisplayName(
      "an item the server still refuses alone as too long fails naming the server's reason; its batch is split, not lost")
  void serverWindowSmallerThanConfigured() {
    // the server's window is smaller than the one configured: it refuses the packed request, then
    // the halves that are still too long, until requests fit; one item too long for it even alone
    // fails
    FakeChatServer chat = new FakeChatServer().window(700);
    server.setDispatcher(chat);
    List<String> items = new ArrayList<>(TestProviders.texts(6, "small"));
    items.add("word ".repeat(600));
    try (Batchwise bw =
        batchwise(
            server.url("/v1").toString(),
            "openai.chat.model",
            "local-model",
            "openai.chat.context-window",
            String.valueOf(WINDOW),
            "openai.chat.answer-tokens",
            "30",
            "openai.chat.answer-attempts",
            "5")) {
      MapResult result = bw.mapper().mapAll(items, INSTRUCTION, null);
      for (int i = 0; i < 6; i++) {
        assertThat(result.results().get(i).answer())
            .isEqualTo(FakeChatServer.answerText(INSTRUCTION, items.get(i)));
      }
      assertThat(result.results().get(6).error().getMessage())
          .startsWith("item 6: ")
          .contains("refused the request as longer than the model's context window")
          .contains("maximum context length is 700 tokens");
    }
  }

  @Test
  @DisplayName("answers cut off at the token limit are asked again with twice the answer tokens")
  void cutOffGrowsThePrediction() {
    FakeChatServer chat =
        new FakeChatServer()
            .faults(new FakeChatServer.Fault(FakeChatServer.Kind.CUT_OFF, "item 0"));
    server.setDispatcher(chat);
    List<String> items = TestProviders.texts(8, "item");
    try (Batchwise bw =
        batchwise(server.url("/v1").toString(), "openai.chat.answer-tokens", "50")) {
      MapResult result = bw.mapper().mapAll(items, INSTRUCTION, FakeChatServer.SCHEMA);
      assertThat(result.allSucceeded()).isTrue();
    }
    List<FakeChatServer.Seen> seen = chat.seen();
    assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
    FakeChatServer.Seen first = seen.get(0);
    FakeChatServer.Seen again = seen.get(1);
    int perItemFirst = first.maxTokens() / first.items().size();
    int perItemAgain = again.maxTokens() / again.items().size();
    assertThat(perItemAgain).isGreaterThanOrEqualTo(perItemFirst + 45);
    assertThat(again.items()).isSubsetOf(first.items()).hasSizeLessThan(first.items().size());
  }
}
