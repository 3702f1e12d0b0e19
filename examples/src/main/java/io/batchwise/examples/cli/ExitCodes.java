package io.batchwise.examples.cli;

/**
 * The exit codes of the {@code batchwise} command, a contract scripts depend on (documented in the
 * README's CLI reference). Every non-zero exit prints one line saying why on stderr.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** The command did everything it was asked. */
  public static final int OK = 0;

  /** An unexpected failure (a bug); the message says what. */
  public static final int FAILURE = 1;

  /**
   * A usage or configuration error: an unknown command or option, a bad option value, an unknown
   * provider, cache or tokenizer id, a missing API key, a query embedder whose vectors do not match
   * the index's identity.
   */
  public static final int USAGE = 2;

  /**
   * An input error: a missing file, an unreadable file or directory, a binary file given as input,
   * an invalid JSONL line (without {@code --skip-invalid}), no inputs at all, a corrupt index file.
   */
  public static final int INPUT = 3;

  /** An output error: the output's directory is missing or not writable, or writing failed. */
  public static final int OUTPUT = 4;

  /**
   * An embedding error: some inputs got no vector (the provider failed after its retries, or an
   * input broke a limit under the {@code fail} policy). JSONL output is still written, with an
   * {@code error} in place of each missing vector; npy and fvecs outputs are not.
   */
  public static final int EMBED = 5;

  /**
   * The process was interrupted (Ctrl-C, SIGINT): the JVM's own code for it (128 + 2), never
   * returned by {@link BatchwiseCli#execute}. The instances the command opened are closed first,
   * the provider calls in flight finishing and being cached within {@code scheduler.close-timeout}
   * ({@link Interrupts}); no output file is written. SIGTERM exits 143 the same way.
   */
  public static final int INTERRUPTED = 130;
}
