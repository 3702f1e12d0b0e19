package io.batchwise.internal.embed;

import io.batchwise.EmbedInputFailedException;
import io.batchwise.Embedding;
import io.batchwise.InvalidInputException;
import java.util.Arrays;
import java.util.List;

/**
 * Writes each distinct text's outcome to every position it came from, so the result has exactly one
 * {@link Embedding} per input, in input order, each failure naming its own index.
 */
final class Reassembler {

  /**
   * Every input's outcome, and what the usage counts of them, read in the same pass.
   *
   * @param embeddings one per input, in input order
   * @param unique distinct valid texts
   * @param valid inputs that were valid (the positions of the distinct texts)
   * @param cacheHits distinct texts answered by the cache
   * @param truncated inputs sent truncated
   * @param failed valid inputs without a vector
   */
  record Reassembled(
      List<Embedding> embeddings,
      long unique,
      long valid,
      long cacheHits,
      long truncated,
      long failed) {}

  /**
   * Fills {@code out}, and tallies the usage in the same pass over the distinct texts' values.
   *
   * @param unique every distinct valid text, each done
   * @param out the result by index; invalid inputs are already set
   * @return the result list and its tallies
   */
  Reassembled reassemble(List<PendingText> unique, Embedding[] out) {
    long valid = 0;
    long hits = 0;
    long truncated = 0;
    long failed = 0;
    for (PendingText p : unique) {
      float[] vector = p.vector();
      boolean hit = p.cacheHit();
      boolean cut = p.truncated();
      for (int k = 0; k < p.indexCount; k++) {
        int i = p.index(k);
        out[i] =
            vector != null ? Embedding.success(i, vector, p.tokens(), cut, hit) : failure(p, i);
      }
      valid += p.indexCount;
      if (hit) {
        hits++;
      }
      if (cut) {
        truncated += p.indexCount;
      }
      if (vector == null) {
        failed += p.indexCount;
      }
    }
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) {
        // a stage lost an input: fail it loudly rather than drop it
        out[i] =
            Embedding.failure(i, new IllegalStateException("input " + i + " was not processed"));
      }
    }
    return new Reassembled(Arrays.asList(out), unique.size(), valid, hits, truncated, failed);
  }

  /** The failure at {@code index} of a text without a vector. */
  private static Embedding failure(PendingText p, int index) {
    String invalid = p.invalidReason();
    if (invalid != null) {
      return Embedding.failure(
          index, new InvalidInputException(index, "input " + index + " " + invalid));
    }
    Throwable error = p.failure();
    Throwable cause = error != null ? error : new IllegalStateException("no vector and no error");
    return Embedding.failure(index, new EmbedInputFailedException(index, cause));
  }

  /**
   * The same outcome at another index, its failure naming the new index: how an embed that rode in
   * a shared one ({@link Coalescer}) reports its inputs by their own positions. Every per-input
   * message starts with {@code input <index>} ({@link Deduplicator}, {@link #failure}), which is
   * what is renumbered.
   *
   * @param e an outcome of the shared embed
   * @param index its position in the embed it belongs to
   * @return the outcome at {@code index}
   */
  static Embedding reindexed(Embedding e, long index) {
    if (e.succeeded()) {
      return Embedding.success(index, e.vector(), e.tokens(), e.truncated(), e.cacheHit());
    }
    Throwable error = e.error();
    if (error instanceof EmbedInputFailedException failed) {
      return Embedding.failure(index, new EmbedInputFailedException(index, failed.getCause()));
    }
    if (error instanceof InvalidInputException invalid) {
      String prefix = "input " + invalid.index();
      String message = invalid.getMessage();
      String renumbered =
          message.startsWith(prefix)
              ? "input " + index + message.substring(prefix.length())
              : message;
      return Embedding.failure(index, new InvalidInputException(index, renumbered));
    }
    return Embedding.failure(index, error);
  }
}
