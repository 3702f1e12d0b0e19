package io.batchwise.cache.internal;

import io.batchwise.cache.ValueCodec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strings as UTF-8; malformed bytes fail to decode rather than becoming replacement characters. */
final class Utf8Codec implements ValueCodec<String> {
  static final Utf8Codec INSTANCE = new Utf8Codec();

  private Utf8Codec() {}

  @Override
  public byte[] encode(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String decode(ByteBuffer payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(payload.slice())
          .toString();
    } catch (CharacterCodingException e) {
      throw new io.batchwise.cache.CorruptValueException("not valid UTF-8", e);
    }
  }

  @Override
  public int weigh(String value) {
    return 40 + value.length() * 2;
  }

  @Override
  public String toString() {
    return "ValueCodec.utf8()";
  }
}
