package io.batchwise.providers.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64FloatsTest {

  private static String encode(float[] v, boolean padded) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    Base64.Encoder encoder = padded ? Base64.getEncoder() : Base64.getEncoder().withoutPadding();
    return encoder.encodeToString(b.array());
  }

  private static float[] decode(String s) {
    char[] framed = ("xx" + s + "yy").toCharArray(); // offset and length are honoured
    return Base64Floats.decode(framed, 2, s.length());
  }

  @ParameterizedTest(name = "{0} floats")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 255, 256, 1536, 3072})
  @DisplayName("decodes what java.util.Base64 encodes, padded or not, bit for bit")
  void roundTrips(int n) {
    SplittableRandom random = new SplittableRandom(n);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = Float.intBitsToFloat(random.nextInt()); // every bit pattern, NaNs and infinities too
    }
    for (boolean padded : new boolean[] {true, false}) {
      float[] back = decode(encode(v, padded));
      assertThat(back).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(Float.floatToRawIntBits(back[i]))
            .as("float %d", i)
            .isEqualTo(Float.floatToRawIntBits(v[i]));
      }
    }
  }

  @Test
  @DisplayName("a character outside the alphabet is named with its position")
  void badCharacter() {
    String s = encode(new float[] {1f, 2f, 3f}, true);
    String broken = s.substring(0, 5) + "!" + s.substring(6);
    assertThatThrownBy(() -> decode(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("character 5 of the base64 text is '!', not in the base64 alphabet");
    String unicode = s.substring(0, 2) + "é" + s.substring(3);
    assertThatThrownBy(() -> decode(unicode))
        .hasMessageContaining("character 2")
        .hasMessageContaining("\\u00e9");
  }

  @Test
  @DisplayName(
      "padding in the middle, a dangling character and bytes that are not whole floats are errors")
  void badShapes() {
    String s = encode(new float[] {1f, 2f}, true); // 8 bytes: 12 characters, one '='
    assertThatThrownBy(() -> decode("AA==" + "A".repeat(12)))
        .hasMessageContaining("character 2")
        .hasMessageContaining("padding");
    assertThatThrownBy(() -> decode(s.substring(0, 9)))
        .hasMessageContaining("cannot end on a whole byte");
    assertThatThrownBy(() -> decode("AAAA"))
        .hasMessage("base64 decodes to 3 bytes, not a whole number of float32 values");
    assertThatThrownBy(() -> decode("AAAAA=")).hasMessageContaining("groups of 4");
  }

  @Test
  @DisplayName("reuses its per-thread buffers across lengths and threads without mixing vectors up")
  void buffersAreReusedSafely() throws Exception {
    // lengths change back and forth; 20,000 floats is over the size kept per thread
    int[] sizes = {256, 3, 256, 20_000, 256, 1536, 1536, 1};
    for (int n : sizes) {
      float[] v = randomVector(n, n);
      assertThat(decode(encode(v, false))).isEqualTo(v);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> checks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        checks.add(
            pool.submit(
                () -> {
                  int checked = 0;
                  for (int k = 0; k < 500; k++) {
                    float[] v = randomVector(256 + (k % 3), thread * 1000L + k);
                    assertThat(decode(encode(v, true))).isEqualTo(v);
                    checked++;
                  }
                  return checked;
                }));
      }
      for (Future<Integer> c : checks) {
        assertThat(c.get(30, TimeUnit.SECONDS)).isEqualTo(500);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static float[] randomVector(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
