package io.batchwise.internal.embed;

import io.batchwise.spi.CacheKey;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One distinct valid text of an embed and everything the stages learn about it. Owned by one embed;
 * each field is written by one stage, in pipeline order, and read after it.
 */
final class PendingText {
  final String text;

  /**
   * Set by the cache stage when a cache is in use (hashing every text costs time otherwise): the
   * key of the text sent whole, or of its truncation once it is known to be cut.
   */
  CacheKey key;

  /**
   * Stores this text's vector by its key once its call is answered (the cache's hand-over for the
   * lookup that missed it); null without a cache.
   */
  Consumer<Map<CacheKey, float[]>> store;

  /** The first position of this text among the inputs. */
  final int firstIndex;

  /** The later positions, ascending, or null while there are none (most texts appear once). */
  private int[] laterIndexes;

  /** How many positions the text has, the first included. */
  int indexCount;

  /** The text sent to the provider (the original, or its truncation). */
  String sent;

  int tokens = -1;
  boolean truncated;
  boolean cacheHit;
  float[] vector;

  /** The provider call's failure, shared by every position of this text. */
  Throwable error;

  /**
   * Why this text itself cannot be sent ("has 300 tokens; the limit is 256"), without the index.
   */
  String invalidReason;

  PendingText(String text, int firstIndex) {
    this.text = text;
    this.firstIndex = firstIndex;
    this.indexCount = 1;
    this.sent = text;
  }

  void addIndex(int index) {
    if (laterIndexes == null) {
      laterIndexes = new int[2];
    } else if (indexCount - 1 == laterIndexes.length) {
      laterIndexes = Arrays.copyOf(laterIndexes, laterIndexes.length * 2);
    }
    laterIndexes[indexCount++ - 1] = index;
  }

  /**
   * One of the text's positions among the inputs.
   *
   * @param k which, from 0 (the first) to {@link #indexCount} - 1, ascending
   * @return the position
   */
  int index(int k) {
    return k == 0 ? firstIndex : laterIndexes[k - 1];
  }

  boolean done() {
    return vector != null || error != null || invalidReason != null;
  }
}
