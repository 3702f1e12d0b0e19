package io.batchwise.examples.customprovider.internal;

/**
 * A 64-bit hash of a feature string, stable across JVMs and platforms (unlike {@code hashCode()}
 * salting in some languages, and unlike a random seed): FNV-1a over the UTF-16 code units, then
 * MurmurHash3's 64-bit finalizer so that every output bit depends on every input bit.
 */
final class FeatureHash {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private FeatureHash() {}

  static long of(CharSequence s) {
    long h = FNV_OFFSET;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= FNV_PRIME;
    }
    return mix(h);
  }

  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** The dimension a hash lands in: its high bits, so that the sign bit stays independent. */
  static int bucket(long hash, int dimensions) {
    return (int) Long.remainderUnsigned(hash >>> 1, dimensions);
  }

  /** +1 or -1 from the lowest bit: signed hashing makes collisions cancel out on average. */
  static float sign(long hash) {
    return (hash & 1) == 0 ? 1f : -1f;
  }
}
