package io.batchwise.cache;

/**
 * Implemented by argument types of memoized functions that the built-in key encoding does not know,
 * to give them a stable cache key.
 *
 * <p>The returned string must be equal for arguments that should share a cached result and must not
 * change between JVM runs or machines (unlike {@link Object#hashCode()} or the default {@link
 * Object#toString()}).
 *
 * <pre>{@code
 * record DocumentRef(UUID id, int version) implements StableKey {
 *   public String stableKey() { return id + "@" + version; }
 * }
 * }</pre>
 */
public interface StableKey {

  /**
   * The argument's stable representation.
   *
   * @return a string that identifies the argument's value
   */
  String stableKey();
}
