package io.batchwise.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The known option names closest to a mistyped one, for "did you mean" hints: a short list a reader
 * can act on, instead of every name on the classpath.
 */
final class ClosestNames {
  /** Enough to catch a typo without burying the answer in a list. */
  static final int MAX_SUGGESTIONS = 3;

  private ClosestNames() {}

  /**
   * Up to {@link #MAX_SUGGESTIONS} names within a few edits of {@code name}, closest first. A name
   * also matches by the part after its namespace, so {@code dimensions} finds {@code
   * hashing.dimensions}.
   *
   * @param name the unknown name
   * @param known the known names
   * @return the closest names, possibly none
   */
  static List<String> closest(String name, Collection<String> known) {
    // a third of the name's length, at least two: a typo or two, not a different word
    int allowed = Math.max(2, name.length() / 3);
    record Scored(String name, int distance) {}
    return known.stream()
        .map(
            k ->
                new Scored(
                    k,
                    Math.min(distance(name, k), distance(name, k.substring(k.indexOf('.') + 1)))))
        .filter(s -> s.distance() <= allowed)
        .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
        .limit(MAX_SUGGESTIONS)
        .map(Scored::name)
        .toList();
  }

  /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
