package io.batchwise.providers.openai;

import io.batchwise.Batchwise;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link ResumableBatchTest}: submits a Batch API job of {@link #INPUTS}
 * inputs (three batches of at most 1,000) with a SQLite cache, says so on stdout once every batch
 * is created and recorded, and polls until the parent kills it.
 */
public final class ResumableBatchMain {
  static final int INPUTS = 2_500;

  /** Printed once the job's batches are all created and recorded. */
  static final String SUBMITTED = "submitted ";

  private ResumableBatchMain() {}

  static List<String> texts() {
    List<String> t = new ArrayList<>(TestProviders.texts(INPUTS - 100, "resumable"));
    t.addAll(TestProviders.texts(100, "resumable")); // duplicates: embedded once
    return t;
  }

  static Batchwise open(String baseUrl, Path dir) {
    return TestProviders.batchwise(
        baseUrl,
        "cache",
        "sqlite",
        "cache.path",
        dir.resolve("cache.db").toString(),
        "openai.batch.state-dir",
        dir.resolve("state").toString(),
        "openai.batch.poll-interval",
        "1ms",
        "openai.batch.max-poll-interval",
        "5ms",
        "openai.batch.max-inputs-per-batch",
        "1000",
        "openai.max-inputs-per-request",
        "100");
  }

  /**
   * Runs the job.
   *
   * @param args the server's base URL, the directory for the cache and the job's state
   * @throws Exception when the job fails
   */
  public static void main(String[] args) throws Exception {
    try (Batchwise bw = open(args[0], Path.of(args[1]));
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      BatchJob job = batch.submit(texts());
      System.out.println(SUBMITTED + job.submitted().get());
      System.out.flush();
      job.result().get();
    }
  }
}
