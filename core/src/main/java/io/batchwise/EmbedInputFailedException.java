package io.batchwise;

/**
 * The provider call that carried an input failed (after the retries the policy allowed). The
 * message names the input's index; the cause is the call's failure, shared by every input of that
 * call. Only that call's inputs fail; the others of the embed are unaffected.
 */
public final class EmbedInputFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long index;

  /**
   * Creates the exception (without a stack trace of its own: the cause has it).
   *
   * @param index the input's position
   * @param cause the call's failure
   */
  public EmbedInputFailedException(long index, Throwable cause) {
    super("input " + index + ": " + cause.getMessage(), cause, false, false);
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
