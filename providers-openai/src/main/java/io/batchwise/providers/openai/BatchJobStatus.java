package io.batchwise.providers.openai;

import java.util.Locale;

/**
 * Where a {@link BatchJob} stands, as its last poll saw it. Immutable.
 *
 * @param jobId the job's id
 * @param state the job's state
 * @param batches batches created on the service so far
 * @param requests request lines of those batches, as the service counts them once validated
 * @param completed request lines the service has answered
 * @param failed request lines the service has failed
 */
public record BatchJobStatus(
    String jobId, State state, int batches, long requests, long completed, long failed) {

  /** A job's state. */
  public enum State {
    /** Packing the inputs, writing and uploading request files, creating batches. */
    SUBMITTING,
    /** Batches are running on the service; the job polls them. */
    RUNNING,
    /** Every batch has ended; answers are checked and stored. */
    STORING,
    /** Done: the result is ready. */
    DONE,
    /** Cancelled; the result holds what was answered before. */
    CANCELLED,
    /** The job could not go on; {@link BatchJob#result()} says why. */
    FAILED
  }

  @Override
  public String toString() {
    return "batch job "
        + jobId.substring(0, Math.min(12, jobId.length()))
        + ": "
        + state.name().toLowerCase(Locale.ROOT)
        + ", "
        + batches
        + (batches == 1 ? " batch, " : " batches, ")
        + completed
        + "/"
        + requests
        + " requests done"
        + (failed > 0 ? ", " + failed + " failed" : "");
  }
}
