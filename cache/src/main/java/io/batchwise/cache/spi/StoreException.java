package io.batchwise.cache.spi;

/**
 * A backend operation failed. A {@link io.batchwise.cache.ByteStore} throws it (or any other {@link
 * RuntimeException}) to report a backend failure; a {@link GuardedByteStore} turns it into a miss
 * or a dropped store. The message names the store and the operation, never a secret (a password, a
 * URI with credentials).
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure of one operation.
   *
   * @param message names the store and the operation, e.g. {@code SQLite cache /x.db: lookup of 3
   *     keys failed: ...}; no secret
   * @param cause the backend's exception
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
