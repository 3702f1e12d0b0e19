package io.batchwise.cache.internal;

import io.batchwise.cache.ValueCodec;
import java.nio.ByteBuffer;

/** Byte arrays as they are. */
final class BytesCodec implements ValueCodec<byte[]> {
  static final BytesCodec INSTANCE = new BytesCodec();

  private BytesCodec() {}

  @Override
  public byte[] encode(byte[] value) {
    return value.clone();
  }

  @Override
  public byte[] decode(ByteBuffer payload) {
    byte[] out = new byte[payload.remaining()];
    payload.slice().get(out);
    return out;
  }

  @Override
  public int weigh(byte[] value) {
    return 16 + value.length;
  }

  @Override
  public byte[] retainable(byte[] value) {
    return value.clone();
  }

  @Override
  public String toString() {
    return "ValueCodec.bytes()";
  }
}
