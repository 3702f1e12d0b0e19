package io.batchwise.examples.integrations;

import io.batchwise.examples.demo.Demo;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;

/**
 * Asks the demo's questions through a framework's search and prints which found their paragraph.
 */
final class DemoQuestions {
  private DemoQuestions() {}

  /**
   * Asks every question of {@link Demo#QUERIES}.
   *
   * @param search the ids of the best {@link Demo#TOP_K} paragraphs for a question, best first
   * @param out where the answers go
   * @return 0 when every question has its paragraph among its hits, else 1
   */
  static int ask(Function<String, List<String>> search, PrintStream out) {
    int found = 0;
    for (Demo.Query q : Demo.QUERIES) {
      List<String> ids = search.apply(q.text());
      boolean hit = ids.contains(q.expectedId());
      found += hit ? 1 : 0;
      out.printf("%s %s%n    -> %s%n", hit ? "[x]" : "[ ]", q.text(), String.join(", ", ids));
    }
    out.printf(
        "%d of %d questions have their paragraph in the top %d%n",
        found, Demo.QUERIES.size(), Demo.TOP_K);
    return found == Demo.QUERIES.size() ? 0 : 1;
  }
}
