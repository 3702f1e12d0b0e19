package io.batchwise.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.cache.CorruptValueException;
import io.batchwise.cache.ValueCodec;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CodecsTest {

  @Test
  void float32IsFourBytesPerElementLittleEndian() {
    byte[] bytes = ValueCodec.floatVectors(false).encode(new float[] {1.0f});
    // 'F', length 1 LE, then 1.0f = 0x3f800000 little-endian
    assertThat(bytes).containsExactly('F', 1, 0, 0, 0, 0x00, 0x00, (byte) 0x80, 0x3f);
  }

  @Test
  void float16IsTwoBytesPerElementAndWithinHalfAnUlp() {
    ValueCodec<float[]> half = ValueCodec.floatVectors(true);
    float[] v = new float[1000];
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-4, 5)));
    }
    byte[] bytes = half.encode(v);
    assertThat(bytes).hasSize(5 + 2 * v.length);
    float[] back = half.decode(ByteBuffer.wrap(bytes));
    for (int i = 0; i < v.length; i++) {
      assertThat(Math.abs(back[i] - v[i]))
          .as("element %d: %s", i, v[i])
          .isLessThanOrEqualTo(Math.max(Math.abs(v[i]) / 2048, 0x1.0p-25f));
    }
  }

  @Test
  void everyHalfValueSurvivesWideningAndNarrowing() {
    for (int bits = 0; bits < 0x10000; bits++) {
      short h = (short) bits;
      float f = Float16.toFloat(h);
      if (Float.isNaN(f)) {
        assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(f)))).isTrue();
      } else {
        assertThat(Float16.fromFloat(f)).as("0x%04x", bits).isEqualTo(h);
      }
    }
  }

  @Test
  void narrowingRoundsToTheNearestHalfTiesToEven() {
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 200_000; i++) {
      float f = Float.intBitsToFloat(r.nextInt());
      if (Float.isNaN(f) || Math.abs(f) > 65504) {
        continue;
      }
      short h = Float16.fromFloat(f);
      float rounded = Float16.toFloat(h);
      float up = Float16.toFloat(neighbour(h, 1));
      float down = Float16.toFloat(neighbour(h, -1));
      double err = Math.abs((double) rounded - f);
      assertThat(err)
          .as("%s -> %s", f, rounded)
          .isLessThanOrEqualTo(Math.abs((double) up - f))
          .isLessThanOrEqualTo(Math.abs((double) down - f));
    }
    assertThat(Float16.toFloat(Float16.fromFloat(1 + 0x1.0p-11f))).as("tie to even").isEqualTo(1f);
    assertThat(Float16.toFloat(Float16.fromFloat(1 + 3 * 0x1.0p-11f))).isEqualTo(1 + 0x1.0p-9f);
    assertThat(Float16.toFloat(Float16.fromFloat(65520f))).isInfinite();
    assertThat(Float16.toFloat(Float16.fromFloat(65519f))).isEqualTo(65504f);
    assertThat(Float16.toFloat(Float16.fromFloat(0x1.0p-25f))).isZero();
    assertThat(Float16.toFloat(Float16.fromFloat(0x1.8p-25f))).isEqualTo(0x1.0p-24f);
    assertThat(Float.floatToIntBits(Float16.toFloat(Float16.fromFloat(-0.0f))))
        .isEqualTo(Float.floatToIntBits(-0.0f));
  }

  /** The next or previous half value towards larger or smaller magnitude, clamped to finite. */
  private static short neighbour(short h, int step) {
    int magnitude = (h & 0x7fff) + step;
    magnitude = Math.max(0, Math.min(0x7bff, magnitude));
    return (short) ((h & 0x8000) | magnitude);
  }

  @Test
  void utf8RefusesMalformedBytes() {
    assertThat(ValueCodec.utf8().decode(ByteBuffer.wrap(ValueCodec.utf8().encode("héllo ✓"))))
        .isEqualTo("héllo ✓");
    assertThatThrownBy(() -> ValueCodec.utf8().decode(ByteBuffer.wrap(new byte[] {(byte) 0xc3})))
        .isInstanceOf(CorruptValueException.class);
  }

  record Summary(String text, List<Integer> counts) implements Serializable {}

  @Test
  void javaSerializationRoundTripsAllowedTypes() {
    ValueCodec<Summary> codec = ValueCodec.javaSerialization(Summary.class);
    Summary s = new Summary("short", new ArrayList<>(List.of(1, 2)));
    assertThat(codec.decode(ByteBuffer.wrap(codec.encode(s)))).isEqualTo(s);
  }

  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void javaSerializationRefusesClassesOutsideTheAllowList() {
    ValueCodec<Serializable> writer =
        ValueCodec.javaSerialization(Serializable.class, "io.batchwise.cache.internal");
    byte[] gadget = writer.encode(new Gadget());
    ValueCodec<ArrayList> reader = ValueCodec.javaSerialization(ArrayList.class);
    byte[] listOfGadget = writer.encode(new ArrayList<>(List.of(new Gadget())));
    assertThatThrownBy(() -> reader.decode(ByteBuffer.wrap(listOfGadget)))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("REJECTED");
    assertThatThrownBy(() -> reader.decode(ByteBuffer.wrap(gadget)))
        .isInstanceOf(CorruptValueException.class);
  }

  @Test
  void javaSerializationNamesAValueThatIsNotSerializable() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    ValueCodec<Object> codec = (ValueCodec) ValueCodec.javaSerialization(Serializable.class);
    assertThatThrownBy(() -> codec.encode(new ArrayList<>(List.of(new Object()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("not Serializable");
  }
}
