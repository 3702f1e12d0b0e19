package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Batch API job is resumable and idempotent: a process killed while it polls leaves its batch ids
 * in the job's state file, and the same job started again polls them instead of uploading and
 * creating them again; once done, a rerun is answered from the cache.
 */
class ResumableBatchTest {
  /** Generous: bounds a broken child, not a slow one. */
  private static final long CHILD_TIMEOUT_SECONDS = 120;

  @StartStop final MockWebServer server = new MockWebServer();

  @TempDir Path dir;

  @Test
  @DisplayName(
      "killed while polling, started again: one upload and one batch per batch needed over both processes, every vector exact; the rerun after completion is all cache hits")
  void aKilledJobResumesPolling() throws Exception {
    FakeBatchServer fake = new FakeBatchServer(TestProviders.KEY).holdInProgress(true);
    server.setDispatcher(fake);
    String url = server.url("/v1").toString();
    Path log = dir.resolve("child.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", // sqlite-jdbc loads its native library (JDK
                // 24+)
                "-cp",
                System.getProperty("java.class.path"),
                ResumableBatchMain.class.getName(),
                url,
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      // polling: every batch created and recorded, and the service asked about them since
      ChildProcess.awaitWhileAlive(
          child,
          log,
          "the child submitted and polls",
          java.time.Duration.ofSeconds(CHILD_TIMEOUT_SECONDS),
          () ->
              ChildProcess.read(log).contains(ResumableBatchMain.SUBMITTED)
                  && fake.retrieves() >= 3);
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(fake.creates())
        .as("the child created every batch before it was killed")
        .isEqualTo(3);
    String state =
        Files.readString(
            dir.resolve("state")
                .resolve(
                    ChildProcess.read(log)
                        .lines()
                        .filter(l -> l.startsWith(ResumableBatchMain.SUBMITTED))
                        .findFirst()
                        .orElseThrow()
                        .substring(ResumableBatchMain.SUBMITTED.length()))
                .resolve("state.json"));
    assertThat(state)
        .as("the state holds ids, never the URL or the key")
        .doesNotContain(url)
        .doesNotContain("127.0.0.1")
        .doesNotContain("localhost")
        .doesNotContain(TestProviders.KEY);

    fake.holdInProgress(false);
    List<String> texts = ResumableBatchMain.texts();
    try (Batchwise bw = ResumableBatchMain.open(url, dir);
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      EmbedResult result = batch.embedAll(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(result.embeddings().get(i).vector())
            .as("input %d", i)
            .containsExactly(FakeOpenAiServer.vectorFor(texts.get(i), 8));
      }
      assertThat(fake.uploads()).as("one upload per batch, over both processes").isEqualTo(3);
      assertThat(fake.creates()).as("one batch per batch needed, over both processes").isEqualTo(3);
      assertThat(result.usage().uniqueInputs()).isEqualTo(2_400);
    }
    try (Batchwise bw = ResumableBatchMain.open(url, dir);
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      EmbedResult again = batch.embedAll(texts);
      assertThat(again.usage().cacheHits()).isEqualTo(2_400);
      assertThat(again.allSucceeded()).isTrue();
    }
    assertThat(fake.uploads()).isEqualTo(3);
    assertThat(fake.creates()).isEqualTo(3);
  }
}
