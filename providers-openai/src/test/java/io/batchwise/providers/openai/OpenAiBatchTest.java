package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import io.batchwise.spi.InputType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OpenAiBatch} against {@link FakeBatchServer} on loopback: packing into request lines and
 * batches within the limits, every terminal state, per-request errors as per-input failures, files
 * deleted once the vectors are stored, and a job submitted again answered without paying twice.
 */
class OpenAiBatchTest {
  @StartStop final MockWebServer server = new MockWebServer();
  private final FakeBatchServer fake = new FakeBatchServer(TestProviders.KEY);
  @TempDir Path state;

  @BeforeEach
  void serve() {
    server.setDispatcher(fake);
  }

  private Batchwise batchwise(String... more) {
    List<String> options =
        new ArrayList<>(
            List.of(
                "openai.batch.state-dir", state.toString(),
                "openai.batch.poll-interval", "1ms",
                "openai.batch.max-poll-interval", "5ms",
                "openai.batch.max-inputs-per-batch", "1000",
                "openai.max-inputs-per-request", "100"));
    options.addAll(List.of(more));
    return TestProviders.batchwise(server.url("/v1").toString(), options.toArray(String[]::new));
  }

  private static void assertExact(List<String> texts, EmbedResult result) {
    assertThat(result.embeddings()).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      Embedding e = result.embeddings().get(i);
      assertThat(e.index()).isEqualTo(i);
      assertThat(e.vector())
          .as("input %d", i)
          .containsExactly(FakeOpenAiServer.vectorFor(texts.get(i), 8));
    }
  }

  @Test
  @DisplayName(
      "2,500 inputs go in three batches of at most 1,000, lines of 100 as the synchronous path packs them; every vector exact and in order; files deleted")
  void completesAcrossSeveralBatches() throws Exception {
    List<String> texts = TestProviders.texts(2_500, "doc");
    List<BatchJobStatus> seen = new CopyOnWriteArrayList<>();
    try (Batchwise bw = batchwise();
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      BatchJob job = batch.submit(texts, InputType.DOCUMENT, seen::add);
      EmbedResult result = job.await(Duration.ofMinutes(2)).orElseThrow();
      assertExact(texts, result);
      assertThat(result.usage().inputs()).isEqualTo(2_500);
      assertThat(job.status().state()).isEqualTo(BatchJobStatus.State.DONE);
    }
    assertThat(fake.uploads()).isEqualTo(3);
    assertThat(fake.creates()).isEqualTo(3);
    assertThat(fake.statuses()).containsOnly("completed");
    assertThat(seen).anySatisfy(s -> assertThat(s.state()).isEqualTo(BatchJobStatus.State.RUNNING));
    assertThat(seen.get(seen.size() - 1).completed()).isEqualTo(25); // 25 request lines of 100
    assertThat(fake.filesHeld()).as("every file deleted from the service").isZero();
    try (Stream<Path> left = Files.list(state)) {
      assertThat(left).as("the job's directory is gone once its vectors are stored").isEmpty();
    }
  }

  @Test
  @DisplayName(
      "a request the service refuses fails only its own inputs, naming the index and the reason")
  void perRequestErrorsFailTheirInputs() throws Exception {
    List<String> texts = TestProviders.texts(300, "doc");
    texts.set(150, "doc " + FakeBatchServer.POISON);
    try (Batchwise bw = batchwise();
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      EmbedResult result = batch.embedAll(texts);
      assertThat(result.failures()).hasSize(100); // the line of 100 that carried it
      assertThat(result.failures()).allSatisfy(f -> assertThat(f.index()).isBetween(100L, 199L));
      assertThat(result.failures().get(0).error().getMessage())
          .contains("failed: HTTP 400")
          .contains("This input was refused");
      for (int i = 0; i < 100; i++) {
        assertThat(result.embeddings().get(i).vector())
            .containsExactly(FakeOpenAiServer.vectorFor(texts.get(i), 8));
      }
    }
  }

  @Test
  @DisplayName("an expired batch keeps what it answered and resubmits the rest in a new batch")
  void expiredBatchIsResubmitted() throws Exception {
    List<String> texts = TestProviders.texts(400, "doc");
    fake.cueNextBatch(FakeBatchServer.Cue.EXPIRED);
    try (Batchwise bw = batchwise();
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      assertExact(texts, batch.embedAll(texts));
    }
    assertThat(fake.statuses()).containsExactly("expired", "completed");
    assertThat(fake.creates()).isEqualTo(2);
  }

  @Test
  @DisplayName("with on-expired=fail, the requests an expired batch did not run fail naming it")
  void expiredBatchFailsByOption() throws Exception {
    List<String> texts = TestProviders.texts(400, "doc");
    fake.cueNextBatch(FakeBatchServer.Cue.EXPIRED);
    try (Batchwise bw = batchwise("openai.batch.on-expired", "fail");
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      EmbedResult result = batch.embedAll(texts);
      assertThat(result.failures()).hasSize(200);
      assertThat(result.failures().get(0).error().getMessage()).contains("batch_expired");
      assertThat(result.embeddings().get(0).vector())
          .containsExactly(FakeOpenAiServer.vectorFor(texts.get(0), 8));
    }
    assertThat(fake.creates()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a batch that fails validation fails its inputs with the service's errors; other batches complete")
  void failedBatchReportsValidationErrors() throws Exception {
    List<String> texts = TestProviders.texts(1_500, "doc");
    fake.cueNextBatch(FakeBatchServer.Cue.FAILED);
    try (Batchwise bw = batchwise();
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      EmbedResult result = batch.embedAll(texts);
      assertThat(result.failures()).hasSize(1_000);
      assertThat(result.failures().get(0).error().getMessage())
          .contains("failed validation")
          .contains("provoked validation failure");
      assertThat(result.embeddings().get(1_200).vector())
          .containsExactly(FakeOpenAiServer.vectorFor(texts.get(1_200), 8));
    }
  }

  @Test
  @DisplayName(
      "cancel: the running batches are cancelled at the service, what they answered is kept, the rest fails saying so")
  void cancelKeepsPartialAnswers() throws Exception {
    List<String> texts = TestProviders.texts(400, "doc");
    fake.holdInProgress(true);
    try (Batchwise bw = batchwise();
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      BatchJob job = batch.submit(texts);
      job.submitted().get();
      job.cancel();
      fake.holdInProgress(false);
      EmbedResult result = job.await(Duration.ofMinutes(1)).orElseThrow();
      assertThat(fake.cancels()).isEqualTo(1);
      assertThat(result.failures()).hasSize(200);
      assertThat(result.failures().get(0).error().getMessage()).contains("cancelled");
      assertThat(result.embeddings().get(0).vector())
          .containsExactly(FakeOpenAiServer.vectorFor(texts.get(0), 8));
      assertThat(job.status().state()).isEqualTo(BatchJobStatus.State.CANCELLED);
    }
    assertThat(fake.statuses()).containsExactly("cancelled");
  }

  @Test
  @DisplayName(
      "a batch cancelled elsewhere keeps what it answered; the rest fails naming the batch")
  void cancelledElsewhere() throws Exception {
    List<String> texts = TestProviders.texts(200, "doc");
    fake.cueNextBatch(FakeBatchServer.Cue.CANCELLED);
    try (Batchwise bw = batchwise();
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      EmbedResult result = batch.embedAll(texts);
      assertThat(result.failures()).hasSize(100);
      assertThat(result.failures().get(0).error().getMessage()).contains("batch_cancelled");
    }
  }

  @Test
  @DisplayName(
      "the enqueued-token limit sends a job in waves: never more tokens enqueued at once than the limit")
  void enqueuedTokenLimitMakesWaves() throws Exception {
    List<String> texts = TestProviders.texts(600, "doc");
    // "doc 17" is 3 cl100k tokens ("doc", " ", "17"): a line of 100 is 300, so a limit of 700 holds
    // two
    try (Batchwise bw = batchwise("openai.batch.enqueued-token-limit", "700");
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      assertExact(texts, batch.embedAll(texts));
    }
    assertThat(fake.creates()).isEqualTo(3);
    assertThat(fake.maxInputsInFlight()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "a 503 is retried as a synchronous call's is; a refused key fails the job naming the status, never the key")
  void retriesAndSecrets() throws Exception {
    List<String> texts = TestProviders.texts(50, "doc");
    fake.failNext(503);
    try (Batchwise bw = batchwise();
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      assertExact(texts, batch.embedAll(texts));
    }
    assertThat(fake.uploads()).isEqualTo(1);
    try (MockWebServer other = new MockWebServer()) {
      other.setDispatcher(new FakeBatchServer("sk-another-key-0123456789"));
      other.start();
      try (Batchwise bw =
              TestProviders.batchwise(
                  other.url("/v1").toString(), "openai.batch.state-dir", state.toString());
          OpenAiBatch batch = OpenAiBatch.of(bw)) {
        assertThatThrownBy(() -> batch.embedAll(texts))
            .hasMessageContaining("HTTP 401")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TestProviders.KEY));
      }
    }
  }

  @Test
  @DisplayName(
      "resume with other inputs is refused naming both jobs; the Azure flavour and other providers are refused")
  void refusals() {
    try (Batchwise bw = batchwise();
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      String id = batch.jobId(List.of("a", "b"), InputType.DOCUMENT);
      assertThat(batch.jobId(List.of("b", "a"), InputType.DOCUMENT)).isNotEqualTo(id);
      assertThat(batch.jobId(List.of("a", "b"), InputType.QUERY)).isNotEqualTo(id);
      assertThatThrownBy(() -> batch.resume(id, List.of("b", "a"), InputType.DOCUMENT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(id);
    }
    try (Batchwise bw = batchwise("openai.azure-deployment", "emb")) {
      assertThatThrownBy(() -> OpenAiBatch.of(bw)).hasMessageContaining("Azure");
    }
  }
}
