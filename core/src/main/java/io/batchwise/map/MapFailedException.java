package io.batchwise.map;

import java.util.List;

/** Thrown by {@link MapResult#answers()} when some items have no answer; carries their outcomes. */
public final class MapFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<MapAnswer> failures;

  /**
   * Creates the exception.
   *
   * @param message a summary naming the failed items
   * @param failures the failed outcomes
   */
  public MapFailedException(String message, List<MapAnswer> failures) {
    super(message);
    this.failures = List.copyOf(failures);
  }

  /**
   * The failed items' outcomes, in input order.
   *
   * @return the failures
   */
  public List<MapAnswer> failures() {
    return failures;
  }
}
