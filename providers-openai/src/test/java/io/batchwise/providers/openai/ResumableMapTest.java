package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.map.MapResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapper run with a persistent cache keeps what each request answered: a process killed part-way
 * leaves those answers in the SQLite file, and a rerun asks only for the rest.
 */
class ResumableMapTest {
  /**
   * Generous: the child only starts a JVM and sends a few requests; this bounds a broken run, not a
   * slow one.
   */
  private static final long CHILD_TIMEOUT_SECONDS = 120;

  /** Requests surely answered and stored when the child is killed (see below). */
  private static final int STORED = 3;

  @StartStop final MockWebServer server = new MockWebServer();

  @TempDir Path dir;

  @Test
  @DisplayName(
      "a process killed part-way keeps the answers it got; the rerun asks only for the rest")
  void aKilledRunKeepsWhatItWasAnswered() throws Exception {
    // request STORED + 1 and later ones stay unanswered until the child is killed: it is still
    // running then, and exactly the first STORED requests have answers it can store
    CountDownLatch release = new CountDownLatch(1);
    FakeChatServer chat = new FakeChatServer().holdFrom(STORED + 1, release);
    server.setDispatcher(chat);
    String url = server.url("/v1").toString();
    Path cache = dir.resolve("answers.db");
    Path log = dir.resolve("child.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", // sqlite-jdbc loads its native library (JDK
                // 24+)
                "-cp",
                System.getProperty("java.class.path"),
                ResumableMapMain.class.getName(),
                url,
                cache.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      // killed once the file holds the answers of those requests (the store runs off the answering
      // thread, so it is read, not assumed from the requests the server saw)
      ChildProcess.awaitWhileAlive(
          child,
          log,
          (STORED * ResumableMapMain.PER_REQUEST) + " answers stored",
          java.time.Duration.ofSeconds(CHILD_TIMEOUT_SECONDS),
          () -> {
            try {
              return chat.requests() >= STORED + 1
                  && storedEntries(cache) >= STORED * ResumableMapMain.PER_REQUEST;
            } catch (java.sql.SQLException e) {
              throw new AssertionError("reading the child's SQLite file", e);
            }
          });
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
      release.countDown(); // the rerun's requests are answered at once
    }
    List<String> stored = new ArrayList<>();
    chat.seen().subList(0, STORED).forEach(s -> stored.addAll(s.items()));
    int before = chat.requests();

    List<String> items = ResumableMapMain.items();
    try (Batchwise bw = ResumableMapMain.open(url, cache)) {
      MapResult result =
          bw.mapper().mapAll(items, MapperTestSupport.INSTRUCTION, FakeChatServer.SCHEMA);
      for (int i = 0; i < items.size(); i++) {
        assertThat(result.results().get(i).answer())
            .isEqualTo(FakeChatServer.answerText(MapperTestSupport.INSTRUCTION, items.get(i)));
      }
      assertThat(result.usage().cacheHits()).isGreaterThanOrEqualTo(stored.size());
      List<String> resent = new ArrayList<>();
      chat.seen().subList(before, chat.requests()).forEach(s -> resent.addAll(s.items()));
      assertThat(resent)
          .as("only what was not answered before the kill is asked")
          .isNotEmpty()
          .hasSize(items.size() - (int) result.usage().cacheHits())
          .doesNotContainAnyElementsOf(stored);
    }
  }

  /**
   * Entries in the child's SQLite file, read as any other process may read it; 0 before it exists.
   */
  private static int storedEntries(Path cache) throws java.sql.SQLException {
    if (!Files.exists(cache)) {
      return 0;
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cache);
        java.sql.Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 60000");
      try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM batchwise_entries")) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    } catch (java.sql.SQLException e) {
      if (String.valueOf(e.getMessage()).contains("no such table")) {
        return 0; // the child has not created its schema yet
      }
      throw e;
    }
  }
}
