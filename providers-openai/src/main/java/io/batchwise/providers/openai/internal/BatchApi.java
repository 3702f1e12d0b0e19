package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.CallFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * OpenAI's Batch API: {@code /files} (upload with purpose {@code batch}, content download, delete)
 * and {@code /batches} (create for {@code /v1/embeddings} in a {@code 24h} window, retrieve,
 * cancel). Every request goes through the same {@link HttpTransport} as the synchronous calls — its
 * timeouts, its failure classification (retryable: connection failures, 408, 409, 429, 5xx; {@code
 * Retry-After} and {@code x-should-retry} read the same way), its secret scrubbing and meters — and
 * a retryable failure is retried here under the instance's {@code max-attempts} with the
 * scheduler's backoff, since these requests are not provider calls the scheduler runs. Blocking;
 * thread-safe.
 */
final class BatchApi {
  private static final MediaType JSONL = MediaType.get("application/jsonl");
  private static final MediaType JSON = MediaType.get("application/json");

  /** The endpoint every request line goes to, as the Batch API names it. */
  static final String EMBEDDINGS_URL = "/v1/embeddings";

  /** The only completion window the Batch API offers. */
  static final String COMPLETION_WINDOW = "24h";

  /** A batch as the service reports it. */
  record Status(
      String id,
      String status,
      String outputFileId,
      String errorFileId,
      long total,
      long completed,
      long failed,
      List<String> errors) {

    /**
     * @return whether the batch will not change any more
     */
    boolean isTerminal() {
      return status.equals("completed")
          || status.equals("failed")
          || status.equals("expired")
          || status.equals("cancelled");
    }
  }

  private final HttpTransport transport;
  private final Endpoint files;
  private final Endpoint batches;
  private final ObjectMapper mapper;
  private final RetryPolicy retry;

  BatchApi(
      HttpTransport transport,
      ConnectionSettings connection,
      ObjectMapper mapper,
      RetryPolicy retry) {
    this.transport = transport;
    this.files = new Endpoint(connection, "files");
    this.batches = new Endpoint(connection, "batches");
    this.mapper = mapper;
    this.retry = retry;
  }

  /**
   * Uploads a JSONL request file with purpose {@code batch}.
   *
   * @param file the file
   * @return the service's file id
   * @throws InterruptedException when interrupted
   */
  String upload(Path file) throws InterruptedException {
    return call(
        () -> {
          RequestBody body =
              new MultipartBody.Builder()
                  .setType(MultipartBody.FORM)
                  .addFormDataPart("purpose", "batch")
                  .addFormDataPart(
                      "file",
                      file.getFileName().toString(),
                      RequestBody.create(file.toFile(), JSONL))
                  .build();
          return files.to().post(body).build();
        },
        r -> text(mapper.readTree(r.body().byteStream()), "id"));
  }

  /**
   * Creates a batch of {@code /v1/embeddings} requests in the {@code 24h} window.
   *
   * @param inputFileId the uploaded request file
   * @return the batch
   * @throws InterruptedException when interrupted
   */
  Status create(String inputFileId) throws InterruptedException {
    byte[] json;
    try {
      json =
          mapper.writeValueAsBytes(
              mapper
                  .createObjectNode()
                  .put("input_file_id", inputFileId)
                  .put("endpoint", EMBEDDINGS_URL)
                  .put("completion_window", COMPLETION_WINDOW));
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory failed", e);
    }
    return call(() -> batches.to().post(RequestBody.create(json, JSON)).build(), this::status);
  }

  /**
   * @param batchId the batch
   * @return its status now
   * @throws InterruptedException when interrupted
   */
  Status retrieve(String batchId) throws InterruptedException {
    return call(() -> batches.to(batchId).get().build(), this::status);
  }

  /**
   * Asks the service to cancel a batch; it goes on to {@code cancelling}, then {@code cancelled}
   * with what it had run.
   *
   * @param batchId the batch
   * @return its status now
   * @throws InterruptedException when interrupted
   */
  Status cancel(String batchId) throws InterruptedException {
    return call(
        () -> batches.to(batchId, "cancel").post(RequestBody.create(new byte[0], JSON)).build(),
        this::status);
  }

  /**
   * Streams a file's content to {@code to} (through a temporary file beside it, moved into place
   * once whole), never holding it in memory.
   *
   * @param fileId the file
   * @param to where it goes
   * @throws InterruptedException when interrupted
   */
  void download(String fileId, Path to) throws InterruptedException {
    Path partial = to.resolveSibling(to.getFileName() + ".part");
    call(
        () -> files.to(fileId, "content").get().build(),
        r -> {
          try (InputStream in = r.body().byteStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
          }
          Files.move(
              partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          return Boolean.TRUE;
        });
  }

  /**
   * Deletes a file from the service.
   *
   * @param fileId the file
   * @throws InterruptedException when interrupted
   */
  void delete(String fileId) throws InterruptedException {
    call(() -> files.to(fileId).delete().build(), r -> Boolean.TRUE);
  }

  private Status status(okhttp3.Response r) throws IOException, InvalidResponseException {
    JsonNode b = mapper.readTree(r.body().byteStream());
    List<String> errors = new ArrayList<>();
    for (JsonNode e : b.path("errors").path("data")) {
      errors.add(
          (e.hasNonNull("line") ? "line " + e.path("line").asLong() + ": " : "")
              + EmbeddingResponseParser.quote(
                  e.path("message").asText(e.path("code").asText("unknown error"))));
    }
    JsonNode counts = b.path("request_counts");
    return new Status(
        text(b, "id"),
        text(b, "status"),
        b.path("output_file_id").textValue(),
        b.path("error_file_id").textValue(),
        counts.path("total").asLong(),
        counts.path("completed").asLong(),
        counts.path("failed").asLong(),
        errors);
  }

  private static String text(JsonNode node, String field) throws InvalidResponseException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidResponseException("the answer has no '" + field + "' string", false, null);
    }
    return v.textValue();
  }

  /** Builds a request anew for each attempt (a multipart body is read once). */
  @FunctionalInterface
  private interface RequestFactory {
    Request create() throws IOException;
  }

  /** Sends a request, retrying what is retryable as the scheduler would. */
  private <T> T call(RequestFactory request, HttpTransport.BodyReader<T> reader)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      CompletableFuture<T> answer;
      try {
        answer =
            transport.send(request.create(), 1, () -> {}, reader, HttpTransport.ErrorHook.NONE);
      } catch (IOException e) {
        throw CallFailedException.permanent(
            "the Batch API request could not be written: " + e.getMessage(), e);
      }
      try {
        return answer.get();
      } catch (InterruptedException e) {
        answer.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        CallFailedException failure =
            e.getCause() instanceof CallFailedException c
                ? c
                : CallFailedException.permanent(
                    "the Batch API request failed: " + e.getCause(), e.getCause());
        if (!failure.isRetryable() || attempt >= retry.maxAttempts()) {
          throw failure;
        }
        Duration backoff = jittered(retry.baseBackoff(attempt));
        Duration wait = failure.retryAfter().filter(CallFailedException::honoured).orElse(backoff);
        Thread.sleep(Math.max(1, wait.toMillis()));
      }
    }
  }

  private Duration jittered(Duration base) {
    double j = retry.jitter() * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
    return Duration.ofNanos((long) (base.toNanos() * (1 + j)));
  }
}
