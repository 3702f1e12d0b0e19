package io.batchwise.map;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of a {@link Mapper#mapAll}: one {@link MapAnswer} per item in input order, and the
 * {@link MapUsage}.
 *
 * @param results one per item, {@code results.get(i).index() == i}
 * @param usage what it did and cost
 */
public record MapResult(List<MapAnswer> results, MapUsage usage) {

  /** Copies the list. */
  public MapResult {
    results = List.copyOf(results);
  }

  /**
   * Whether every item has an answer.
   *
   * @return true when nothing failed
   */
  public boolean allSucceeded() {
    return results.stream().allMatch(MapAnswer::succeeded);
  }

  /**
   * The items that failed, in input order.
   *
   * @return the failures
   */
  public List<MapAnswer> failures() {
    return results.stream().filter(a -> !a.succeeded()).toList();
  }

  /**
   * The answers in input order, as JSON text.
   *
   * @return one answer per item
   * @throws MapFailedException when any item failed; it lists the failures (and {@link #results()}
   *     still holds every answer)
   */
  public List<String> answers() {
    List<MapAnswer> failures = failures();
    if (!failures.isEmpty()) {
      String indexes =
          failures.stream()
                  .limit(20)
                  .map(a -> Long.toString(a.index()))
                  .collect(Collectors.joining(", "))
              + (failures.size() > 20 ? ", ..." : "");
      throw new MapFailedException(
          failures.size()
              + " of "
              + results.size()
              + " items failed (indexes "
              + indexes
              + "); first: "
              + failures.get(0).error().getMessage(),
          failures);
    }
    return results.stream().map(MapAnswer::answer).toList();
  }
}
