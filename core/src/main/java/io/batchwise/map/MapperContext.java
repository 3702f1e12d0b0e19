package io.batchwise.map;

import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.CallPacer;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.FactoryContext;
import java.time.Duration;
import java.util.Optional;

/**
 * What a {@link MapperFactory} receives: everything a {@link FactoryContext} has, and the parts of
 * the {@code Batchwise} instance a mapper runs on — its scheduler, its cache, and the limits and
 * retries its core options ({@code concurrency}, {@code requests-per-minute}, {@code
 * tokens-per-minute}, {@code max-attempts}, {@code job-timeout}) set, resolved by core as for the
 * embedder.
 *
 * <p>Everything here is owned by the {@code Batchwise} instance; a mapper must not close it.
 */
public interface MapperContext extends FactoryContext {

  /**
   * The instance's scheduler, which runs the mapper's calls as jobs.
   *
   * @return the shared scheduler
   */
  Scheduler scheduler();

  /**
   * The instance's cache (the null cache unless one was chosen). A cache built on a byte store
   * (every cache of {@code batchwise-cache}) can keep answers beside vectors.
   *
   * @return the shared cache
   */
  EmbeddingCache cache();

  /**
   * New limits for the mapper's own service: a pool of {@code concurrency} permits and a pacer of
   * {@code requests-per-minute} and {@code tokens-per-minute} combined with what the service
   * reports. A mapper makes them once and shares them across all its runs, as the embedder does
   * with {@code Batchwise.callLimits()}; they are separate from the embedder's, since a chat
   * endpoint is limited apart from an embeddings endpoint.
   *
   * @param reported what the service reports (response headers), or {@link CallPacer#NONE}
   * @return the limits
   */
  CallLimits newCallLimits(CallPacer reported);

  /**
   * How a failed call is retried: {@code max-attempts} tries with the scheduler's backoff.
   *
   * @return the retry policy
   */
  RetryPolicy retryPolicy();

  /**
   * The longest one run may take ({@code job-timeout}).
   *
   * @return the timeout, or empty for no limit
   */
  Optional<Duration> jobTimeout();
}
