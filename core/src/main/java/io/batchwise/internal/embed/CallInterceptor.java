package io.batchwise.internal.embed;

import io.micrometer.observation.Observation;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One link around every provider call, in the manner of OkHttp's interceptors: observe or check the
 * call, then {@link Chain#proceed(List)} exactly once. The links' order is written in one place,
 * {@code ProviderCallChain.standardLinks}. Retries are not a link: the scheduler owns them.
 */
interface CallInterceptor {

  /**
   * Handles one call.
   *
   * @param chain the texts and the rest of the chain
   * @return the vectors, one per text in order
   */
  CompletableFuture<List<float[]>> intercept(Chain chain);

  /** The call as one link sees it. */
  interface Chain {
    /**
     * The texts of this call.
     *
     * @return the texts
     */
    List<String> texts();

    /**
     * Passes the call to the next link (the provider after the last link).
     *
     * @param texts the texts, normally {@link #texts()}
     * @return the vectors
     */
    CompletableFuture<List<float[]>> proceed(List<String> texts);

    /**
     * What the links know of the call beside its texts.
     *
     * @return the call's facts
     */
    CallInfo info();
  }

  /**
   * One call attempt's facts.
   *
   * @param tokens the call's tokens as the provider's tokenizer counted them
   * @param attempt which attempt this is, from 1
   * @param embed the observation of the embed the call serves ({@link Observation#NOOP} when none)
   */
  record CallInfo(long tokens, int attempt, Observation embed) {}
}
