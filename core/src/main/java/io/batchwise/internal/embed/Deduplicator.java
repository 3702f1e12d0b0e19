package io.batchwise.internal.embed;

import io.batchwise.Embedding;
import io.batchwise.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Validates every input and groups identical valid texts, so each distinct text is looked up,
 * counted and embedded once and its vector is shared by all of its positions. Invalid inputs get
 * their failure at their own position right away.
 */
final class Deduplicator {
  /** Inputs per validation task: large enough to amortize a task, small enough to use every core. */
  static final int CHUNK = 2048;

  private final InputValidator validator;
  private final Executor cpu;

  Deduplicator(InputValidator validator, Executor cpu) {
    this.validator = validator;
    this.cpu = cpu;
  }

  /**
   * Validates and groups. Validation (and computing each text's hash, which the grouping needs) runs
   * in parallel chunks; the grouping itself is one pass in input order.
   *
   * @param texts the inputs
   * @param out where invalid inputs' failures are written, by index
   * @return the distinct valid texts, in order of first appearance
   */
  List<PendingText> dedupe(List<String> texts, Embedding[] out) {
    String[] inputs = texts.toArray(String[]::new); // one consistent snapshot, random access
    InvalidInputException[] invalid = new InvalidInputException[inputs.length];
    ParallelChunks.run(inputs.length, CHUNK, cpu, (from, to) -> {
      for (int i = from; i < to; i++) {
        invalid[i] = validator.check(i, inputs[i]);
        if (invalid[i] == null) {
          inputs[i].hashCode(); // cached in the string: the grouping below finds it computed
        }
      }
    });
    Map<String, PendingText> unique = new HashMap<>(Math.max(16, inputs.length * 4 / 3 + 1));
    List<PendingText> ordered = new ArrayList<>(inputs.length);
    for (int i = 0; i < inputs.length; i++) {
      if (invalid[i] != null) {
        out[i] = Embedding.failure(i, invalid[i]);
        continue;
      }
      String text = inputs[i];
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
