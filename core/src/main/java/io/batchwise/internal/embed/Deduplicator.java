package io.batchwise.internal.embed;

import io.batchwise.Embedding;
import io.batchwise.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The first stage: validates every input and groups identical valid texts, so each distinct text is
 * looked up, counted and embedded once and its vector is shared by all of its positions. Invalid
 * inputs get their failure at their own position right away.
 *
 * <p>Validation decides whether each input can be embedded at all, before any work is spent on it.
 * Outcomes, each naming the input's index: {@code null} fails ("input 3 is null"); an empty or
 * whitespace-only string fails (no provider embeds it meaningfully and remote APIs reject it); a
 * string with an unpaired surrogate fails, naming the char position (it cannot be encoded as UTF-8
 * without changing it); a string longer than the character limit fails, naming the limit, before it
 * is tokenized (a runaway input must not stall the job). Everything else passes unchanged.
 */
final class Deduplicator {
  /**
   * Inputs per validation task: large enough to amortize a task, small enough to use every core.
   */
  static final int CHUNK = 2048;

  private final int maxChars;
  private final Executor cpu;

  /**
   * @param maxChars the most chars an input may have ({@code max-input-chars})
   * @param cpu where validation runs, in parallel chunks
   */
  Deduplicator(int maxChars, Executor cpu) {
    this.maxChars = maxChars;
    this.cpu = cpu;
  }

  /**
   * Validates and groups. Validation (and computing each text's hash, which the grouping needs)
   * runs in parallel chunks, each writing the failures of its own inputs; the grouping itself is
   * one pass in input order.
   *
   * @param texts the inputs
   * @param out where invalid inputs' failures are written, by index
   * @return the distinct valid texts, in order of first appearance
   */
  List<PendingText> dedupe(List<String> texts, Embedding[] out) {
    String[] inputs = texts.toArray(String[]::new); // one consistent snapshot, random access
    // each valid input's hash, by index, taken where its text is read anyway (in the chunks): the
    // grouping below then reads no text but those that share a hash, and runs on one thread
    int[] hashes = new int[inputs.length];
    ParallelChunks.run(
        inputs.length,
        CHUNK,
        cpu,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            InvalidInputException invalid = check(i, inputs[i]);
            if (invalid != null) {
              out[i] = Embedding.failure(i, invalid);
            } else {
              hashes[i] = inputs[i].hashCode();
            }
          }
        });
    List<PendingText> ordered = new ArrayList<>(inputs.length);
    // the distinct texts by hash, each slot its position in ordered plus one (0: empty): an open
    // addressing table of ints instead of a map, which would make an entry object for every text
    int[] table = new int[tableSize(inputs.length)];
    int shift = Integer.numberOfLeadingZeros(table.length - 1);
    int mask = table.length - 1;
    for (int i = 0; i < inputs.length; i++) {
      if (out[i] != null) {
        continue; // invalid
      }
      int hash = hashes[i];
      // Fibonacci hashing: the top bits of the product spread strings whose hashes differ only in
      // their low bits (texts that differ in their last characters) over the whole table
      int at = (hash * 0x9E3779B9) >>> shift;
      while (true) {
        int slot = table[at];
        if (slot == 0) {
          // a distinct text's position never passes the input being read, so its hash goes where
          // an input already read had its own: hashes[k] is now the hash of ordered's k-th text
          hashes[ordered.size()] = hash;
          ordered.add(new PendingText(inputs[i], i));
          table[at] = ordered.size();
          break;
        }
        if (hashes[slot - 1] == hash) {
          PendingText seen = ordered.get(slot - 1);
          if (seen.text.equals(inputs[i])) {
            seen.addIndex(i);
            break;
          }
        }
        at = (at + 1) & mask;
      }
    }
    return ordered;
  }

  /**
   * A power of two at least twice {@code n} (at least 16, at most 2<sup>30</sup>): linear probing
   * stays short in a table at most half full.
   */
  static int tableSize(int n) {
    long twice = 2L * Math.max(8, n);
    return (int) Math.min(1 << 30, Long.highestOneBit(twice - 1) << 1);
  }

  /**
   * Checks one input.
   *
   * @param index its position
   * @param text the input
   * @return null when it is valid, else the reason
   */
  InvalidInputException check(long index, String text) {
    if (text == null) {
      return new InvalidInputException(index, "input " + index + " is null");
    }
    if (text.length() > maxChars) {
      return new InvalidInputException(
          index,
          "input "
              + index
              + " has "
              + text.length()
              + " chars; the limit is "
              + maxChars
              + " (option max-input-chars)");
    }
    if (text.isBlank()) {
      return new InvalidInputException(
          index, "input " + index + (text.isEmpty() ? " is empty" : " is whitespace only"));
    }
    int bad = unpairedSurrogate(text);
    if (bad >= 0) {
      return new InvalidInputException(
          index,
          "input "
              + index
              + " has an unpaired surrogate at char "
              + bad
              + " (not valid Unicode; it cannot be encoded as UTF-8)");
    }
    return null;
  }

  static int unpairedSurrogate(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) { // one range test for every char; the rest only for these
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }
}
