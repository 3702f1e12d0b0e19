package io.batchwise.examples.cli;

/** Finds what makes bytes unfit to be read as text: a NUL byte or a malformed UTF-8 sequence. */
final class Utf8 {
  private Utf8() {}

  /**
   * The offset of the first NUL byte, the mark of a binary file.
   *
   * @param bytes the content
   * @return the offset, or -1 when there is none
   */
  static int firstNul(byte[] bytes) {
    return firstNul(bytes, 0, bytes.length);
  }

  /**
   * The offset of the first NUL byte in a range.
   *
   * @param bytes the content
   * @param from the first byte of the range
   * @param to the end of the range (exclusive)
   * @return the offset within {@code bytes}, or -1 when there is none
   */
  static int firstNul(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (overlong
   * forms, surrogates and values above U+10FFFF are malformed).
   *
   * @param b the content
   * @return the offset, or -1 when all of it is valid UTF-8
   */
  static int firstInvalid(byte[] b) {
    return firstInvalid(b, 0, b.length);
  }

  /**
   * The offset of the first malformed byte in a range, read as if the range were all there is (a
   * sequence cut off by its end is malformed).
   *
   * @param b the content
   * @param from the first byte of the range
   * @param to the end of the range (exclusive)
   * @return the offset within {@code b}, or -1 when the range is valid UTF-8
   */
  static int firstInvalid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int need;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + need >= to) { // the sequence is cut off by the end
        return i;
      }
      int cp = c & (0x3f >> need);
      for (int k = 1; k <= need; k++) {
        int cc = b[i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return i;
      }
      i += need + 1;
    }
    return -1;
  }

  /**
   * The 1-based line of a byte offset.
   *
   * @param b the content
   * @param offset a byte offset
   * @return the line number
   */
  static int lineOf(byte[] b, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < b.length; i++) {
      if (b[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
