package io.batchwise.cache;

/**
 * A stored value failed its checksum, is truncated, was written in an unknown format, or does not
 * decode. Caches treat it as a miss: they log it, count it in {@link
 * io.batchwise.meters.MeterNames#CACHE_ERRORS} (outcome {@code corrupt}), and the next store of
 * that key overwrites it.
 */
public final class CorruptValueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the value
   */
  public CorruptValueException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong with the value
   * @param cause why decoding failed
   */
  public CorruptValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
