package io.batchwise.cache;

/**
 * An explicit invalidation ({@code invalidate}, {@code invalidateNamespace}, {@code clear}) could
 * not reach the backend, so stale entries may remain. Lookups and stores never throw this: a
 * backend outage turns them into misses and dropped stores.
 */
public final class CacheUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which cache and operation, and why
   * @param cause the backend's failure, or null when the circuit breaker refused the call
   */
  public CacheUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
