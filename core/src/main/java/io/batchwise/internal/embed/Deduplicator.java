package io.batchwise.internal.embed;

import io.batchwise.Embedding;
import io.batchwise.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates every input and groups identical valid texts, so each distinct text is looked up,
 * counted and embedded once and its vector is shared by all of its positions. Invalid inputs get
 * their failure at their own position right away.
 */
final class Deduplicator {
  private final InputValidator validator;

  Deduplicator(InputValidator validator) {
    this.validator = validator;
  }

  /**
   * Validates and groups.
   *
   * @param texts the inputs
   * @param out where invalid inputs' failures are written, by index
   * @return the distinct valid texts, in order of first appearance
   */
  List<PendingText> dedupe(List<String> texts, Embedding[] out) {
    Map<String, PendingText> unique = new HashMap<>();
    List<PendingText> ordered = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      InvalidInputException invalid = validator.check(i, text);
      if (invalid != null) {
        out[i] = Embedding.failure(i, invalid);
        continue;
      }
      PendingText seen = unique.get(text);
      if (seen != null) {
        seen.addIndex(i);
      } else {
        PendingText p = new PendingText(text, i);
        unique.put(text, p);
        ordered.add(p);
      }
    }
    return ordered;
  }
}
