package io.batchwise.examples.cli;

/** How an input file or stdin is split into texts. */
public enum InputFormat {
  /** One text per line; blank lines are not inputs. */
  LINES,
  /**
   * One JSON object per line with a text field and an optional id field; blank lines are not
   * inputs.
   */
  JSONL,
  /** The whole file (or stdin) is one text. */
  TEXT
}
