package io.batchwise.index;

import java.io.IOException;

/**
 * A file given to {@link VectorIndex#load} is not a Batchwise index, is of a format version this
 * library cannot read, or is corrupt (its checksum does not match). The message names the file and
 * what is wrong.
 */
public final class IndexFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the file and what is wrong with it
   */
  public IndexFormatException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message the file and what is wrong with it
   * @param cause what was thrown while reading
   */
  public IndexFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
