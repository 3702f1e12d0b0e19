package io.batchwise.examples.cli;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The inputs of one command, read one at a time as they are asked for, so that a command's memory
 * does not grow with its input ({@link InputReader#open}). A source without a single input fails
 * with an input error the first time it is asked for one. Bad input fails as it is reached, with
 * the same messages as {@link InputReader} gives. Not thread-safe.
 */
abstract class InputSource implements Iterator<InputRecord>, AutoCloseable {
  private final String name;
  private InputRecord next;
  private boolean ended;
  private long read;
  private int skipped;

  /**
   * A source.
   *
   * @param name what messages call it: {@code stdin} or an absolute path
   */
  InputSource(String name) {
    this.name = name;
  }

  /**
   * Reads the next input.
   *
   * @return it, or null at the end
   * @throws CliException an input error naming the file (and line)
   */
  abstract InputRecord read();

  /**
   * The inputs this source will give, counted before it was read, for progress: may be a little
   * high (a JSONL line skipped as invalid, a file that turns out not to be text).
   *
   * @return the count, or -1 when it cannot be known in advance (stdin)
   */
  abstract long expected();

  /** Releases what the source has open. */
  @Override
  public abstract void close();

  /**
   * Counts one input skipped (an invalid JSONL line, a file that is not text), already reported.
   */
  final void skip() {
    skipped++;
  }

  /**
   * How many inputs were skipped so far.
   *
   * @return the count
   */
  final int skipped() {
    return skipped;
  }

  @Override
  public final boolean hasNext() {
    if (next == null && !ended) {
      next = read();
      if (next == null) {
        ended = true;
        close();
        if (read == 0) {
          throw CliException.input(
              "no inputs in " + name + (skipped > 0 ? " (" + skipped + " skipped)" : ""));
        }
      }
    }
    return next != null;
  }

  @Override
  public final InputRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    InputRecord r = next;
    next = null;
    read++;
    return r;
  }
}
