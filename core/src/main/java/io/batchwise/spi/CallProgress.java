package io.batchwise.spi;

/**
 * What a provider may report about one call while it runs, through
 * {@link EmbeddingProvider#embed(java.util.List, CallProgress)}.
 *
 * <p>A remote provider calls {@link #answered()} when the service's answer starts arriving (its
 * status and headers are in): from then on the call only reads and decodes locally, and the
 * scheduler starts the next call in this call's concurrency slot instead of leaving the service idle
 * while a large answer is parsed. Thread-safe; calling it more than once, or never, is allowed.
 */
@FunctionalInterface
public interface CallProgress {
  /** Progress nobody listens to: what {@link EmbeddingProvider#embed(java.util.List)} gets. */
  CallProgress NONE = () -> {};

  /**
   * The service has answered this call successfully; what is left is local work. Report it only for
   * an answer the provider goes on to read (a failed status need not be reported): should reading it
   * fail after all, the call still fails or is retried as usual, its retry waiting for a free slot.
   */
  void answered();
}
