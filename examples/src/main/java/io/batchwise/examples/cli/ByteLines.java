package io.batchwise.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a byte stream, split at {@code '\n'} before anything is decoded (no byte of a UTF-8
 * sequence can be {@code '\n'}, so a line holds whole characters or is malformed on its own): one
 * line in memory at a time, with its number and the offset of its first byte, for messages. Not
 * thread-safe.
 */
final class ByteLines implements AutoCloseable {
  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private boolean end;
  private byte[] line = new byte[256];
  private int length;
  private long start;
  private long nextStart;
  private long number;

  /**
   * Reads {@code in}, which {@link #close()} closes.
   *
   * @param in the stream
   */
  ByteLines(InputStream in) {
    this.in = in;
  }

  /**
   * Moves to the next line.
   *
   * @return false when the stream has no more bytes (a final {@code '\n'} ends the last line; it
   *     does not start an empty one)
   * @throws IOException when reading fails
   */
  boolean next() throws IOException {
    length = 0;
    start = nextStart;
    boolean any = false;
    while (true) {
      if (position == limit) {
        if (end || !fill()) {
          if (any) {
            number++;
          }
          return any;
        }
      }
      any = true;
      int newline = position;
      while (newline < limit && buffer[newline] != '\n') {
        newline++;
      }
      append(position, newline - position);
      nextStart += newline - position;
      if (newline < limit) {
        position = newline + 1;
        nextStart++;
        number++;
        return true;
      }
      position = limit;
    }
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer);
    if (n < 0) {
      end = true;
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  private void append(int from, int count) {
    if (length + count > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
    }
    System.arraycopy(buffer, from, line, length, count);
    length += count;
  }

  /**
   * The current line's bytes, without its {@code '\n'}: valid up to {@link #length()}, and only
   * until the next call of {@link #next()}.
   *
   * @return the buffer
   */
  byte[] bytes() {
    return line;
  }

  /**
   * The current line's length in bytes.
   *
   * @return the length
   */
  int length() {
    return length;
  }

  /**
   * The current line's number.
   *
   * @return from 1
   */
  long number() {
    return number;
  }

  /**
   * The offset of the current line's first byte in the stream.
   *
   * @return from 0
   */
  long start() {
    return start;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
