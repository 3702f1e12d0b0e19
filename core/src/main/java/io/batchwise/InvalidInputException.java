package io.batchwise;

/**
 * One input cannot be embedded as given (null, blank, unpaired surrogate, over a limit). The
 * message names the input's index and the limit; the other inputs are unaffected.
 */
public final class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final long index;

  /**
   * Creates the exception.
   *
   * @param index the input's position
   * @param message what is wrong, starting with "input N"
   */
  public InvalidInputException(long index, String message) {
    super(message);
    this.index = index;
  }

  /**
   * The input's position.
   *
   * @return the index
   */
  public long index() {
    return index;
  }
}
