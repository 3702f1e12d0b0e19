package io.batchwise.cache.internal;

import io.batchwise.cache.CorruptValueException;
import io.batchwise.cache.ValueCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The envelope of every stored value: a format-version byte, the codec's payload, and the CRC-32C
 * of both as a little-endian int32. A flipped bit, a truncated value or a value of another format
 * version fails {@link #decode} with a {@link CorruptValueException}.
 *
 * <pre>
 *   [version = 1][payload ...][crc32c(version + payload), 4 bytes LE]
 * </pre>
 */
final class ValueFrame {
  /** Bump when the envelope or a built-in codec's payload changes incompatibly. */
  static final byte VERSION = 1;

  private static final int OVERHEAD = 1 + Integer.BYTES;

  private ValueFrame() {}

  /**
   * Encodes a value and wraps it.
   *
   * @param codec the codec
   * @param value the value
   * @param <V> the value type
   * @return the framed bytes
   */
  static <V> byte[] encode(ValueCodec<V> codec, V value) {
    return wrap(codec.encode(value));
  }

  /**
   * Wraps a payload.
   *
   * @param payload the payload
   * @return version, payload and checksum
   */
  static byte[] wrap(byte[] payload) {
    byte[] framed = new byte[payload.length + OVERHEAD];
    framed[0] = VERSION;
    System.arraycopy(payload, 0, framed, 1, payload.length);
    CRC32C crc = new CRC32C();
    crc.update(framed, 0, framed.length - Integer.BYTES);
    ByteBuffer.wrap(framed, framed.length - Integer.BYTES, Integer.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt((int) crc.getValue());
    return framed;
  }

  /**
   * Checks a framed value and decodes its payload.
   *
   * @param codec the codec
   * @param framed the stored bytes
   * @param <V> the value type
   * @return the value
   * @throws CorruptValueException when the frame or the payload is bad
   */
  static <V> V decode(ValueCodec<V> codec, byte[] framed) {
    ByteBuffer payload = unwrap(framed);
    try {
      V value = codec.decode(payload);
      if (value == null) {
        throw new CorruptValueException(codec + " decoded null");
      }
      return value;
    } catch (CorruptValueException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorruptValueException(codec + " failed to decode the value: " + e, e);
    }
  }

  /**
   * Checks a framed value.
   *
   * @param framed the stored bytes
   * @return the payload, a view of {@code framed}
   * @throws CorruptValueException when too short, of another version, or its checksum differs
   */
  static ByteBuffer unwrap(byte[] framed) {
    if (framed.length < OVERHEAD) {
      throw new CorruptValueException(
          "value truncated to "
              + framed.length
              + " bytes, less than the "
              + OVERHEAD
              + "-byte frame");
    }
    int end = framed.length - Integer.BYTES;
    CRC32C crc = new CRC32C();
    crc.update(framed, 0, end);
    int stored =
        ByteBuffer.wrap(framed, end, Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (stored != (int) crc.getValue()) {
      throw new CorruptValueException(
          "checksum mismatch in a " + framed.length + "-byte value (corrupt or truncated)");
    }
    if (framed[0] != VERSION) {
      throw new CorruptValueException(
          "value format version " + framed[0] + " is not the supported version " + VERSION);
    }
    return ByteBuffer.wrap(framed, 1, end - 1).slice();
  }
}
