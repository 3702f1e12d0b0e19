package io.batchwise.examples.cli;

/**
 * One input text and where it came from.
 *
 * @param id the id given with the input (a JSONL id field, a file's path), or null for the default:
 *     the input's position
 * @param idIsNumber whether the id was a JSON number, which outputs write back as that number
 * @param text the text
 * @param origin where it was read, for messages: {@code /absolute/file:line}, or a file's absolute
 *     path
 */
public record InputRecord(String id, boolean idIsNumber, String text, String origin) {

  /**
   * An input whose id, if any, is text.
   *
   * @param id the id, or null for the input's position
   * @param text the text
   * @param origin where it was read
   */
  public InputRecord(String id, String text, String origin) {
    this(id, false, text, origin);
  }

  /**
   * The id as text: the given one, or else the input's position.
   *
   * @param index the input's position
   * @return the id
   */
  public String idText(long index) {
    return id != null ? id : Long.toString(index);
  }
}
