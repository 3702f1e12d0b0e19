package io.batchwise.cache;

import io.batchwise.cache.internal.Codecs;
import java.io.Serializable;
import java.nio.ByteBuffer;

/**
 * Turns values into bytes and back, so that typed caches can live on a {@link ByteStore}.
 *
 * <p>A codec writes only its payload: the caches wrap every payload in a frame with a format
 * version and a CRC-32C checksum and verify both before {@link #decode(ByteBuffer)} is called, so a
 * codec need not detect random corruption itself — but it must throw, never return garbage, when a
 * payload does not parse (a value written by another version, a truncated value whose checksum
 * happened to match). Any exception thrown by {@code decode} makes that value a miss that is logged
 * and counted.
 *
 * <p>The built-in codecs:
 *
 * <ul>
 *   <li>{@link #floatVectors(boolean)}: float vectors as compact little-endian float32 or float16;
 *   <li>{@link #utf8()} and {@link #bytes()};
 *   <li>{@link #javaSerialization(Class, String...)}: the {@link Memoizer}'s default, Java
 *       serialization behind a deserialization filter.
 * </ul>
 *
 * <p>Implementations must be thread-safe and stateless.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /**
   * Encodes a value.
   *
   * @param value the value, never null
   * @return the payload; the caller owns it
   * @throws IllegalArgumentException when the value cannot be encoded, naming why
   */
  byte[] encode(V value);

  /**
   * Decodes a payload written by {@link #encode(Object)}.
   *
   * @param payload the payload, positioned at its start; its remaining bytes are exactly the
   *     payload
   * @return the value
   * @throws CorruptValueException (or any runtime exception) when the payload does not parse
   */
  V decode(ByteBuffer payload);

  /**
   * An estimate of the memory the decoded value occupies, for caches bounded by bytes.
   *
   * @param value the value
   * @return the estimated size in bytes, at least 1
   */
  default int weigh(V value) {
    return Math.max(1, encode(value).length);
  }

  /**
   * A copy that callers cannot change later, kept by in-memory caches that hold decoded values. The
   * default returns the value itself, right for immutable types; codecs of mutable types (arrays)
   * copy.
   *
   * @param value the value given to the cache
   * @return the value to keep
   */
  default V retainable(V value) {
    return value;
  }

  /**
   * Float vectors: a kind byte ({@code F} float32 or {@code H} float16), the length as a
   * little-endian int32, then each element little-endian. Decoding reads either kind, so a cache
   * written with one setting is read with the other.
   *
   * @param float16 whether to write half-precision values (half the size, about 3 significant
   *     decimal digits; values beyond ±65504 become infinite)
   * @return the codec
   */
  static ValueCodec<float[]> floatVectors(boolean float16) {
    return Codecs.floatVectors(float16);
  }

  /**
   * Strings as UTF-8.
   *
   * @return the codec
   */
  static ValueCodec<String> utf8() {
    return Codecs.utf8();
  }

  /**
   * Byte arrays as they are (copied in and out).
   *
   * @return the codec
   */
  static ValueCodec<byte[]> bytes() {
    return Codecs.bytes();
  }

  /**
   * Java serialization behind a deserialization filter ({@link java.io.ObjectInputFilter}) that
   * accepts classes of the {@code java.base} module, of the packages (and subpackages) of {@code
   * type}, and of {@code allowedPackages}, and rejects everything else, as well as graphs deeper
   * than 100 or larger than 64 MiB. A rejected or unreadable value is a miss, logged.
   *
   * <p>Why a filter: values may come from a shared Redis; deserializing arbitrary classes from it
   * would let whoever can write to that Redis run code in this JVM. The checksum detects
   * corruption, not tampering.
   *
   * @param type the value type; its package is allowed
   * @param allowedPackages further packages whose classes may appear in values, e.g. {@code
   *     com.acme.model}; subpackages are included
   * @param <V> the value type
   * @return the codec
   */
  static <V extends Serializable> ValueCodec<V> javaSerialization(
      Class<V> type, String... allowedPackages) {
    return Codecs.javaSerialization(type, allowedPackages);
  }
}
