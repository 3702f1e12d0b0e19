package io.batchwise.providers.openai;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.config.ConfigOption;
import io.batchwise.providers.openai.internal.BatchJobs;
import io.batchwise.providers.openai.internal.OpenAiOptions;
import io.batchwise.spi.InputType;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Bulk embedding through OpenAI's Batch API: half the price of synchronous calls, outside their
 * rate limits, answered within 24 hours. The inputs go through the instance's own embed pipeline —
 * validated, deduplicated, looked up in its cache, limited per input and packed into {@code
 * /v1/embeddings} requests exactly as a synchronous embed packs its calls — then as request lines
 * into files within the Batch API's limits (50,000 requests and 200 MB per file, 50,000 inputs per
 * batch, {@code openai.batch.enqueued-token-limit} per wave), uploaded, run, polled, downloaded
 * (streamed to disk, read line by line) and checked as synchronous answers are; the vectors are
 * stored in the cache, and the result is what {@code Embedder.embedAll} would give.
 *
 * <p>A job is resumable and idempotent: its id is a hash of the endpoint, model, dimensions, input
 * type and ordered inputs, and its batch ids are written to its state file ({@code
 * openai.batch.state-dir}) before it polls. Submitting the same inputs again — in this process, or
 * after a crash or Ctrl-C — resumes polling instead of paying again; once done, the answers are in
 * the cache (use a persistent one, such as {@code sqlite}, to keep them across runs).
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().provider("openai").cache("sqlite").build();
 *     OpenAiBatch batch = OpenAiBatch.of(bw)) {
 *   BatchJob job = batch.submit(texts);              // returns at once
 *   EmbedResult result = job.result().join();         // or job.await(timeout), job.cancel()
 *   EmbedResult again = batch.embedAll(texts);        // the blocking convenience: resumes or answers from the cache
 * }
 * }</pre>
 *
 * <p>Requests go where the instance's {@code openai.*} options say, with its key, through an HTTP
 * client with the synchronous provider's timeouts, failure classification, retry hints and secret
 * handling; nothing read from a job's files decides where a request goes. Azure OpenAI's Batch API
 * is not served (see the README). Thread-safe.
 */
public final class OpenAiBatch implements AutoCloseable {
  /**
   * {@code openai.batch.state-dir}: where jobs keep their state, request and output files (the
   * command line puts it beside its output unless set).
   */
  public static final ConfigOption<String> STATE_DIR = OpenAiOptions.BATCH_STATE_DIR;

  private static final Consumer<BatchJobStatus> NOBODY_LISTENS = s -> {};

  private final BatchJobs jobs;

  private OpenAiBatch(BatchJobs jobs) {
    this.jobs = jobs;
  }

  /**
   * The Batch API for an instance whose provider is {@code openai}; its {@code openai.batch.*}
   * options are read now.
   *
   * @param bw the instance; it must stay open while jobs run
   * @return the batch API
   * @throws IllegalArgumentException when the instance's provider is not {@code openai}
   * @throws io.batchwise.config.ConfigurationException when an {@code openai.batch.*} option is
   *     invalid, or the provider is configured for Azure
   */
  public static OpenAiBatch of(Batchwise bw) {
    return new OpenAiBatch(BatchJobs.of(bw));
  }

  /**
   * Starts (or resumes) the job embedding {@code texts} as documents; returns at once.
   *
   * @param texts the inputs
   * @return the job
   */
  public BatchJob submit(List<String> texts) {
    return submit(texts, InputType.DOCUMENT, NOBODY_LISTENS);
  }

  /**
   * Starts (or resumes) the job embedding {@code texts} as {@code inputType}; returns at once.
   *
   * @param texts the inputs
   * @param inputType what they are embedded as
   * @param progress told each time the job's status changes (on the job's thread; quick, and it
   *     should not throw)
   * @return the job
   */
  public BatchJob submit(
      List<String> texts, InputType inputType, Consumer<BatchJobStatus> progress) {
    return jobs.submit(texts, inputType, progress);
  }

  /**
   * Resumes job {@code jobId} (after a crash, or in another process) with its inputs.
   *
   * @param jobId the job's id
   * @param texts the job's inputs, in the same order
   * @param inputType what they are embedded as
   * @return the job
   * @throws IllegalArgumentException when the inputs are not that job's
   */
  public BatchJob resume(String jobId, List<String> texts, InputType inputType) {
    return jobs.resume(jobId, texts, inputType, NOBODY_LISTENS);
  }

  /**
   * The id the job of {@code texts} has, without starting it.
   *
   * @param texts the inputs
   * @param inputType what they are embedded as
   * @return the id
   */
  public String jobId(List<String> texts, InputType inputType) {
    return jobs.jobId(texts, inputType);
  }

  /**
   * Submits (or resumes) the job of {@code texts} as documents and waits for its result, however
   * long the service takes: a convenience for scripts.
   *
   * @param texts the inputs
   * @return one embedding per input, in input order, with usage
   * @throws CompletionException when the job cannot go on
   */
  public EmbedResult embedAll(List<String> texts) {
    try {
      return submit(texts).result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException("interrupted while waiting for a batch job", e);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    }
  }

  /**
   * Stops the jobs running in this process — their batches go on at the service, and submitting the
   * same inputs again resumes them — and closes the HTTP client. Idempotent.
   */
  @Override
  public void close() {
    jobs.close();
  }
}
