package io.batchwise.providers.openai.internal;

/**
 * A 2xx response whose body is not a valid embeddings answer for the request: malformed or
 * truncated JSON (retryable: the next attempt may get a whole answer) or a well-formed answer that
 * does not fit (wrong count, duplicate or out-of-range index, wrong dimensions: not retryable, the
 * server will answer the same way).
 */
final class InvalidResponseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  InvalidResponseException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  boolean retryable() {
    return retryable;
  }
}
