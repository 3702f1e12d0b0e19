package io.batchwise.cache.internal;

/**
 * IEEE 754 binary16 conversions with round-to-nearest-even, as {@code Float.floatToFloat16} and
 * {@code Float.float16ToFloat} do from Java 20 on (this module runs on Java 17).
 */
final class Float16 {
  private Float16() {}

  /** The largest binary16 value plus half an ulp: at or above this, a float rounds to infinity. */
  private static final float OVERFLOW_THRESHOLD = 65504f + 16f;

  /** Half the smallest binary16 subnormal (2^-25): at or below this, a float rounds to zero. */
  private static final float UNDERFLOW_THRESHOLD = 0x1.0p-25f;

  /**
   * Rounds a float to the nearest binary16 value.
   *
   * @param f the value
   * @return its binary16 bits
   */
  static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    short sign = (short) ((bits >>> 16) & 0x8000);
    if (Float.isNaN(f)) {
      // keep the quiet bit and as much of the payload as fits
      return (short) (sign | 0x7c00 | 0x0200 | ((bits >>> 13) & 0x03ff));
    }
    float abs = Math.abs(f);
    if (abs >= OVERFLOW_THRESHOLD) {
      return (short) (sign | 0x7c00);
    }
    if (abs <= UNDERFLOW_THRESHOLD) {
      return sign;
    }
    int exp = Math.getExponent(f);
    int shift = 13;
    int significand = bits & 0x007f_ffff;
    if (exp < -14) {
      // a binary16 subnormal: the implicit bit becomes explicit and the value shifts further right
      shift += -14 - exp;
      exp = -15;
      significand |= 0x0080_0000;
    }
    int truncated = significand >> shift;
    int lsb = significand & (1 << shift);
    int round = significand & (1 << (shift - 1));
    int sticky = significand & ((1 << (shift - 1)) - 1);
    if (round != 0 && (lsb | sticky) != 0) {
      truncated++; // a carry into the exponent is correct: it yields the next binade (or infinity)
    }
    return (short) (sign | (((exp + 15) << 10) + truncated));
  }

  /**
   * Widens a binary16 value to a float (exactly).
   *
   * @param half the binary16 bits
   * @return the value
   */
  static float toFloat(short half) {
    int sign = (half & 0x8000) << 16;
    int exp = (half >>> 10) & 0x1f;
    int significand = half & 0x03ff;
    if (exp == 0) {
      float magnitude = 0x1.0p-24f * significand; // zero or subnormal: no implicit bit
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f80_0000 | (significand << 13));
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (significand << 13));
  }
}
