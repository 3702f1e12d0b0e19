package io.batchwise;

import java.util.List;

/**
 * Thrown by {@link EmbedResult#vectors()} when some inputs have no vector; carries their outcomes.
 */
public final class EmbedFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Embedding> failures;

  /**
   * Creates the exception.
   *
   * @param message a summary naming the failed indexes
   * @param failures the failed outcomes
   */
  public EmbedFailedException(String message, List<Embedding> failures) {
    super(message);
    this.failures = List.copyOf(failures);
  }

  /**
   * The failed inputs' outcomes, in input order.
   *
   * @return the failures
   */
  public List<Embedding> failures() {
    return failures;
  }
}
