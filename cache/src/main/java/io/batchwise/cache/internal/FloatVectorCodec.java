package io.batchwise.cache.internal;

import io.batchwise.cache.CorruptValueException;
import io.batchwise.cache.ValueCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Float vectors as a kind byte ({@code F} float32 or {@code H} float16), the length as a
 * little-endian int32, and the elements little-endian. Reads both kinds whatever it writes.
 */
final class FloatVectorCodec implements ValueCodec<float[]> {
  static final byte FLOAT32 = 'F';
  static final byte FLOAT16 = 'H';
  private static final int HEADER = 1 + Integer.BYTES;

  /** A float[]'s object header and length field on a 64-bit JVM with compressed pointers. */
  private static final int ARRAY_OVERHEAD = 16;

  private final boolean float16;

  FloatVectorCodec(boolean float16) {
    this.float16 = float16;
  }

  @Override
  public byte[] encode(float[] vector) {
    int width = float16 ? Short.BYTES : Float.BYTES;
    ByteBuffer out =
        ByteBuffer.allocate(HEADER + vector.length * width).order(ByteOrder.LITTLE_ENDIAN);
    out.put(float16 ? FLOAT16 : FLOAT32).putInt(vector.length);
    if (float16) {
      for (float f : vector) {
        out.putShort(Float16.fromFloat(f));
      }
    } else {
      out.asFloatBuffer().put(vector);
    }
    return out.array();
  }

  @Override
  public float[] decode(ByteBuffer payload) {
    ByteBuffer in = payload.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < HEADER) {
      throw new CorruptValueException(
          "vector truncated: "
              + in.remaining()
              + " bytes, less than its "
              + HEADER
              + "-byte header");
    }
    byte kind = in.get();
    int length = in.getInt();
    int width;
    if (kind == FLOAT32) {
      width = Float.BYTES;
    } else if (kind == FLOAT16) {
      width = Short.BYTES;
    } else {
      throw new CorruptValueException("unknown vector kind " + kind + "; expected 'F' or 'H'");
    }
    if (length < 0 || (long) length * width != in.remaining()) {
      throw new CorruptValueException(
          "vector of "
              + length
              + " elements needs "
              + ((long) length * width)
              + " bytes, found "
              + in.remaining());
    }
    float[] vector = new float[length];
    if (kind == FLOAT32) {
      in.asFloatBuffer().get(vector);
    } else {
      for (int i = 0; i < length; i++) {
        vector[i] = Float16.toFloat(in.getShort());
      }
    }
    return vector;
  }

  @Override
  public int weigh(float[] vector) {
    return ARRAY_OVERHEAD + vector.length * Float.BYTES;
  }

  @Override
  public float[] retainable(float[] vector) {
    return vector.clone();
  }

  @Override
  public String toString() {
    return float16 ? "ValueCodec.floatVectors(float16)" : "ValueCodec.floatVectors(float32)";
  }
}
