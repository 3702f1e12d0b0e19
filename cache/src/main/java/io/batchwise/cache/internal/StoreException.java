package io.batchwise.cache.internal;

/** A backend operation failed; the message names the store and the operation, never a secret. */
final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
