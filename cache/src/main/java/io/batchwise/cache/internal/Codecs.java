package io.batchwise.cache.internal;

import io.batchwise.cache.ValueCodec;
import java.io.Serializable;

/** The built-in {@link ValueCodec}s, behind the static factories of that interface. */
public final class Codecs {
  private static final FloatVectorCodec FLOAT32 = new FloatVectorCodec(false);
  private static final FloatVectorCodec FLOAT16 = new FloatVectorCodec(true);

  private Codecs() {}

  /**
   * See {@link ValueCodec#floatVectors(boolean)}.
   *
   * @param float16 whether to write half precision
   * @return the codec
   */
  public static ValueCodec<float[]> floatVectors(boolean float16) {
    return float16 ? FLOAT16 : FLOAT32;
  }

  /**
   * See {@link ValueCodec#utf8()}.
   *
   * @return the codec
   */
  public static ValueCodec<String> utf8() {
    return Utf8Codec.INSTANCE;
  }

  /**
   * See {@link ValueCodec#bytes()}.
   *
   * @return the codec
   */
  public static ValueCodec<byte[]> bytes() {
    return BytesCodec.INSTANCE;
  }

  /**
   * See {@link ValueCodec#javaSerialization(Class, String...)}.
   *
   * @param type the value type
   * @param allowedPackages further allowed packages
   * @param <V> the value type
   * @return the codec
   */
  public static <V extends Serializable> ValueCodec<V> javaSerialization(
      Class<V> type, String... allowedPackages) {
    return new JavaSerializationCodec<>(type, allowedPackages);
  }

  /**
   * Java serialization for a type that may not declare {@link Serializable} (an interface method's
   * return type such as {@code List}); values that are not serializable fail to encode with a clear
   * message.
   *
   * @param type the value type
   * @param allowedPackages further allowed packages
   * @param <V> the value type
   * @return the codec
   */
  public static <V> ValueCodec<V> javaSerializationOf(Class<V> type, String... allowedPackages) {
    return new JavaSerializationCodec<>(type, allowedPackages);
  }
}
