package io.batchwise.providers.openai.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes an embedding sent as base64 (RFC 4648, standard alphabet, padding optional) of
 * little-endian float32 values, from the JSON parser's characters into a {@code float[]}.
 *
 * <p>Why not the JSON library's binary decoding: it appends every decoded byte to a growable buffer
 * and copies it out, which makes decoding the largest client-side cost of a large response; the
 * JDK's decoder reads the same characters straight into the bytes. The characters are copied into a
 * per-thread buffer that is reused while the length stays the same, so a response's decoding leaves
 * nothing behind but its vectors. When the JDK rejects the text, a second, strict pass names what
 * is wrong and where: a character outside the alphabet, padding before the end, or a length that is
 * not whole bytes or whole floats. Thread-safe: each thread decodes in its own buffers.
 */
final class Base64Floats {
  /** Character → 6-bit value, or -1 for a character outside the alphabet. */
  private static final byte[] VALUES = new byte[128];

  static {
    Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
  }

  private Base64Floats() {}

  /**
   * Decodes {@code length} characters of {@code chars} from {@code offset}.
   *
   * @param chars the characters (for example a JSON parser's text buffer)
   * @param offset where the base64 text starts
   * @param length how many characters it has
   * @return the floats
   * @throws IllegalArgumentException when the text is not base64 of whole float32 values; the
   *     message names the problem and the character position
   */
  static float[] decode(char[] chars, int offset, int length) {
    Scratch scratch = SCRATCH.get().sized(length);
    byte[] ascii = scratch.ascii;
    for (int i = 0; i < length; i++) {
      char c = chars[offset + i];
      // a character above U+00FF becomes '?', which the decoder rejects like any other stranger
      ascii[i] = c <= 0xFF ? (byte) c : (byte) '?';
    }
    int decoded;
    try {
      decoded = Base64.getDecoder().decode(ascii, scratch.bytes);
    } catch (IllegalArgumentException e) {
      throw explain(chars, offset, length, e);
    }
    if (decoded % Float.BYTES != 0) {
      throw new IllegalArgumentException(
          "base64 decodes to " + decoded + " bytes, not a whole number of float32 values");
    }
    float[] v = new float[decoded / Float.BYTES];
    ByteBuffer.wrap(scratch.bytes, 0, decoded)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(v);
    return v;
  }

  /**
   * Each decoding thread's buffers for the text as bytes and its decoded bytes, reused while the
   * length stays the same (every vector of a response has the same length): a 2,048-vector response
   * then leaves only its vectors behind instead of three times their size in garbage.
   */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Texts longer than this are decoded in buffers of their own rather than kept per thread. */
  private static final int MAX_KEPT_CHARS = 1 << 16;

  private static final class Scratch {
    byte[] ascii = new byte[0];
    byte[] bytes = new byte[0];

    /**
     * Buffers of exactly {@code length} text bytes (the decoder reads the whole array) and room for
     * the result.
     */
    Scratch sized(int length) {
      if (ascii.length == length) {
        return this;
      }
      Scratch target = length <= MAX_KEPT_CHARS ? this : new Scratch();
      target.ascii = new byte[length];
      target.bytes = new byte[length / 4 * 3 + 3];
      return target;
    }
  }

  /** Why the decoder rejected the text, found by a strict pass over it. */
  private static IllegalArgumentException explain(
      char[] chars, int offset, int length, IllegalArgumentException jdk) {
    int end = offset + length;
    int padding = 0;
    while (padding < 2 && end - padding > offset && chars[end - padding - 1] == '=') {
      padding++;
    }
    for (int at = offset; at < end - padding; at++) {
      char c = chars[at];
      if (c >= 128 || VALUES[c] < 0) {
        return new IllegalArgumentException(
            "character "
                + (at - offset)
                + " of the base64 text is '"
                + (c == '='
                    ? "=' (padding before the end)"
                    : printable(c) + "', not in the base64 alphabet"),
            jdk);
      }
    }
    if (padding > 0 && length % 4 != 0) {
      return new IllegalArgumentException(
          "padded base64 of " + length + " characters; padded base64 comes in groups of 4", jdk);
    }
    int symbols = length - padding;
    if (symbols % 4 == 1) {
      return new IllegalArgumentException(
          "base64 of " + symbols + " characters cannot end on a whole byte", jdk);
    }
    return new IllegalArgumentException("not valid base64: " + jdk.getMessage(), jdk);
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }
}
