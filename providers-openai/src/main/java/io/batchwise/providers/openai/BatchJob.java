package io.batchwise.providers.openai;

import io.batchwise.EmbedResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A bulk embedding job running through OpenAI's Batch API ({@link OpenAiBatch#submit}): its inputs
 * packed into {@code /v1/embeddings} request lines, uploaded, run by the service within 24 hours at
 * half the price, polled, and its answers checked and stored in the cache. The job's id is a hash
 * of what it embeds (the endpoint, model, dimensions, input type and the ordered inputs);
 * submitting the same inputs again, in this process or after a crash, resumes the same job instead
 * of paying again.
 *
 * <pre>{@code
 * BatchJob job = batch.submit(texts);
 * System.out.println(job.id());                       // keep it: a rerun of the same inputs resumes it
 * Optional<EmbedResult> done = job.await(Duration.ofMinutes(10));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface BatchJob {

  /**
   * @return the job's id: a hex SHA-256 of its identity and inputs
   */
  String id();

  /**
   * Where the job stands now; never blocks.
   *
   * @return its status
   */
  BatchJobStatus status();

  /**
   * Completes once every batch of the job has been created on the service and recorded (so that a
   * process that exits then resumes it by submitting the same inputs again), or with the job's
   * failure.
   *
   * @return the job's id, once submitted
   */
  CompletableFuture<String> submitted();

  /**
   * The result, once every batch has ended and every answer has been checked and stored: one {@link
   * io.batchwise.Embedding} per input in input order, as {@code Embedder.embedAll} gives it. It
   * fails only when the job itself cannot go on (the service refuses its requests, the state
   * directory cannot be written); a request the service refused fails only its own inputs.
   *
   * @return the result
   */
  CompletableFuture<EmbedResult> result();

  /**
   * Waits up to {@code timeout} for the result.
   *
   * @param timeout how long to wait
   * @return the result, or empty when it is not ready yet (the job goes on)
   * @throws InterruptedException when interrupted (the job goes on)
   * @throws CompletionException when the job failed
   */
  Optional<EmbedResult> await(Duration timeout) throws InterruptedException;

  /**
   * Cancels the job: its batches still running are cancelled on the service, what they had answered
   * is kept and stored, and every other input fails saying the job was cancelled. Returns at once;
   * {@link #result()} completes once the service has ended the batches.
   */
  void cancel();
}
