package io.batchwise.examples.cli;

/** A failure the command reports as one line on stderr and an exit code from {@link ExitCodes}. */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  /**
   * Creates the exception.
   *
   * @param exitCode one of {@link ExitCodes}
   * @param message one line naming the input, option or file and what is wrong
   */
  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * Creates the exception with a cause (not printed; the message must say it all).
   *
   * @param exitCode one of {@link ExitCodes}
   * @param message one line
   * @param cause the cause
   */
  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /**
   * The exit code.
   *
   * @return one of {@link ExitCodes}
   */
  public int exitCode() {
    return exitCode;
  }

  /**
   * An input error.
   *
   * @param message what is wrong, naming the input
   * @return the exception
   */
  public static CliException input(String message) {
    return new CliException(ExitCodes.INPUT, message);
  }

  /**
   * An output error.
   *
   * @param message what is wrong, naming the output
   * @return the exception
   */
  public static CliException output(String message) {
    return new CliException(ExitCodes.OUTPUT, message);
  }

  /**
   * A usage or configuration error.
   *
   * @param message what is wrong, naming the option
   * @return the exception
   */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }
}
