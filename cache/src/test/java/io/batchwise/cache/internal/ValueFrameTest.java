package io.batchwise.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.cache.CorruptValueException;
import io.batchwise.cache.ValueCodec;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ValueFrameTest {
  final ValueCodec<float[]> codec = ValueCodec.floatVectors(false);
  final byte[] framed = ValueFrame.encode(codec, new float[] {1, -2.5f, 3e-20f, 42});

  @Test
  void roundTrips() {
    assertThat(ValueFrame.decode(codec, framed)).containsExactly(1, -2.5f, 3e-20f, 42);
    assertThat(framed[0]).isEqualTo(ValueFrame.VERSION);
  }

  @Test
  void everySingleBitFlipIsDetected() {
    for (int i = 0; i < framed.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = framed.clone();
        copy[i] ^= (byte) (1 << bit);
        int at = i;
        assertThatThrownBy(() -> ValueFrame.decode(codec, copy))
            .as("bit %d of byte %d", bit, at)
            .isInstanceOf(CorruptValueException.class);
      }
    }
  }

  @Test
  void everyTruncationIsDetected() {
    for (int length = 0; length < framed.length; length++) {
      byte[] cut = Arrays.copyOf(framed, length);
      assertThatThrownBy(() -> ValueFrame.decode(codec, cut))
          .as("length %d", length)
          .isInstanceOf(CorruptValueException.class);
    }
  }

  @Test
  void anotherFormatVersionIsRefusedEvenWithAValidChecksum() {
    byte[] forged = framed.clone();
    forged[0] = 2;
    CRC32C crc = new CRC32C();
    crc.update(forged, 0, forged.length - 4);
    java.nio.ByteBuffer.wrap(forged, forged.length - 4, 4)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt((int) crc.getValue());
    assertThatThrownBy(() -> ValueFrame.decode(codec, forged))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void aPayloadThatChecksOutButDoesNotParseIsCorrupt() {
    byte[] wrongLength = ValueFrame.wrap(new byte[] {'F', 9, 0, 0, 0, 1, 2, 3, 4});
    assertThatThrownBy(() -> ValueFrame.decode(codec, wrongLength))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("9 elements");
    byte[] wrongKind = ValueFrame.wrap(new byte[] {'Q', 0, 0, 0, 0});
    assertThatThrownBy(() -> ValueFrame.decode(codec, wrongKind))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("kind");
  }
}
