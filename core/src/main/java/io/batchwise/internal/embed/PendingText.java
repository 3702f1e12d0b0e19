package io.batchwise.internal.embed;

import io.batchwise.spi.TokenFit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One distinct valid text of an embed, its positions among the inputs, and the value each stage
 * returned for it, each kept in a slot of its own: the token limit stage's (what is sent and its
 * tokens, or why it cannot be sent), the cache stage's (the cached vector, or the {@link
 * CacheStage.Miss} this embed sends), and the result of its provider call (the vector, or the
 * failure). The fit and the cache value are written once, by the stage that owns them; writing one
 * twice is a bug and throws. Owned by one embed.
 */
final class PendingText {
  private static final VarHandle ANSWER;

  static {
    try {
      ANSWER = MethodHandles.lookup().findVarHandle(PendingText.class, "answer", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String text;

  /** The first position of this text among the inputs. */
  final int firstIndex;

  /** The later positions, ascending, or null while there are none (most texts appear once). */
  private int[] laterIndexes;

  /** How many positions the text has, the first included. */
  int indexCount;

  /**
   * The token limit stage's value, recorded by one call ({@link #fitted} or {@link #rejected}),
   * once: what is sent (null until counted, and for a text that cannot be sent), its tokens and
   * whether it was cut, or why it cannot be sent. Copied out of the tokenizer's {@link TokenFit}
   * rather than kept as it: a fit that does not outlive the count is one object per text the JIT
   * need not allocate.
   */
  private String sent;

  private int tokens = -1;
  private boolean truncated;
  private String invalidReason;

  /**
   * The cache stage's value: the cached vector of a hit ({@code float[]}, not wrapped: hits are
   * what a warm cache is made of), or the {@link CacheStage.Miss} of a text this embed sends; null
   * without a cache.
   */
  private Object cached;

  /**
   * The result of the text's provider call: its vector ({@code float[]}) or its failure ({@code
   * Throwable}); null until there is one. Written by compare-and-set, because the call's answer and
   * the embed's deadline (or the end of its job) may both try to end the text: the first stays.
   */
  private volatile Object answer;

  PendingText(String text, int firstIndex) {
    this.text = text;
    this.firstIndex = firstIndex;
    this.indexCount = 1;
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

  /**
   * Records the token limit stage's value for a text that can be sent.
   *
   * @param fit what the tokenizer made of it within the limit
   * @throws IllegalStateException when the text was counted already
   */
  void fitted(TokenFit fit) {
    requireUncounted();
    sent = fit.text();
    tokens = fit.tokens();
    truncated = fit.truncated();
  }

  /**
   * Records the token limit stage's value for a text that cannot be sent.
   *
   * @param reason what is wrong with it ("has 300 tokens; the limit is 256"), without its index,
   *     which each position's failure adds
   * @param cut whether it was cut (limit policy {@code TRUNCATE}) and is still over the limit:
   *     usage counts it as truncated
   * @throws IllegalStateException when the text was counted already
   */
  void rejected(String reason, boolean cut) {
    requireUncounted();
    invalidReason = reason;
    truncated = cut;
  }

  private void requireUncounted() {
    if (counted()) {
      throw new IllegalStateException("the text at input " + firstIndex + " was counted twice");
    }
  }

  /** Whether the token limit stage has its value for the text. */
  boolean counted() {
    return sent != null || invalidReason != null;
  }

  /**
   * What the text is sent as: the original, or its cut.
   *
   * @throws IllegalStateException when the text is not counted yet, or cannot be sent
   */
  String sent() {
    if (sent == null) {
      throw new IllegalStateException(
          "the text at input "
              + firstIndex
              + (invalidReason == null
                  ? " is not counted yet"
                  : " cannot be sent: " + invalidReason));
    }
    return sent;
  }

  /** Why the text cannot be sent, or null when it can (or is not counted yet). */
  String invalidReason() {
    return invalidReason;
  }

  /** The tokens of the text as sent, or -1 when it is not counted or cannot be sent. */
  int tokens() {
    return sent != null ? tokens : -1;
  }

  /** Whether the text was cut to the limit (sent cut, or still over the limit once cut). */
  boolean truncated() {
    return truncated;
  }

  /**
   * Records the cache stage's value for a hit.
   *
   * @param vector the cached vector, checked
   * @throws IllegalStateException when the text was looked up already
   */
  void hit(float[] vector) {
    setCached(vector);
  }

  /**
   * Records the cache stage's value for a text this embed sends.
   *
   * @throws IllegalStateException when the text was looked up already
   */
  void missed(CacheStage.Miss miss) {
    setCached(miss);
  }

  private void setCached(Object value) {
    if (cached != null) {
      throw new IllegalStateException("the text at input " + firstIndex + " was looked up twice");
    }
    cached = value;
  }

  /** Whether the cache answered the text. */
  boolean cacheHit() {
    return cached instanceof float[];
  }

  /** How to cache the text's vector once its call answers, or null (no cache, or a hit). */
  CacheStage.Miss miss() {
    return cached instanceof CacheStage.Miss m ? m : null;
  }

  /**
   * Ends the text with its call's vector, unless it has a result already.
   *
   * @return whether this became its result
   */
  boolean answered(float[] vector) {
    return ANSWER.compareAndSet(this, null, vector);
  }

  /**
   * Ends the text with a failure, unless it has a result already.
   *
   * @return whether this became its result
   */
  boolean failed(Throwable error) {
    return ANSWER.compareAndSet(this, null, error);
  }

  /** The text's vector (from the cache, or its call), or null. */
  float[] vector() {
    if (cached instanceof float[] v) {
      return v;
    }
    return answer instanceof float[] v ? v : null;
  }

  /** Why the text's call (or its embed) failed it, or null. */
  Throwable failure() {
    return answer instanceof Throwable t ? t : null;
  }

  /** Whether the text has its outcome: a vector, a failure, or a reason it cannot be sent. */
  boolean done() {
    return answer != null || cached instanceof float[] || invalidReason != null;
  }
}
