package io.batchwise.cache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Marks an interface method whose results a {@link Memoizer#proxy(Class, Object)} caches, keyed by
 * the method and its arguments.
 *
 * <p>The method must return a value ({@code void} is rejected) that the memoizer's codec can
 * encode; a method returning {@link CompletableFuture} or {@link CompletionStage} is memoized
 * asynchronously (its completed value is cached). Its arguments must have a stable representation
 * (see {@link Memoizer} for the encoding); exceptions are never cached, and neither are {@code
 * null} results.
 *
 * <pre>{@code
 * interface Summarizer {
 *   @Cached(ttl = "12h", maxSize = 10_000)
 *   String summarize(String document, int maxWords);
 * }
 * Summarizer cached = memoizer.proxy(Summarizer.class, new RemoteSummarizer());
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Cached {

  /**
   * How long a result lives: ISO-8601 ({@code PT12H}) or a number with a unit ({@code 250ms},
   * {@code 30s}, {@code 5m}, {@code 12h}, {@code 7d}); empty for the backend's default.
   *
   * @return the time to live
   */
  String ttl() default "";

  /**
   * The most results of this method kept decoded in memory, in front of the memoizer's backend (or
   * as the only cache when it has none); {@code -1} for {@link Memoizer#DEFAULT_MAX_SIZE}, 0 for no
   * in-memory copy (every call reads the backend; only valid when the memoizer has one).
   *
   * @return the in-memory bound
   */
  long maxSize() default -1;

  /**
   * The cache identity of this method: results are shared by every proxy (in any JVM using the same
   * backend) whose method has the same identity. Empty for the method's full signature (interface,
   * name, parameter and return types); set it to keep results across a rename.
   *
   * @return the name
   */
  String name() default "";
}
