package io.batchwise.cache.internal;

import java.util.Collection;

/**
 * How a typed view turns its keys into store keys: a prefix shared by many keys and a suffix, whose
 * concatenation is the store key; the in-memory store uses {@link #memoryKey}, others the
 * concatenation.
 *
 * @param <K> the view's key type
 */
interface KeyParts<K> {

  /** Full store keys given as strings: an empty prefix and the key as suffix. */
  KeyParts<String> FULL =
      new KeyParts<>() {
        @Override
        public String prefix(String key) {
          return "";
        }

        @Override
        public String suffix(String key) {
          return key;
        }

        @Override
        public String full(String key) {
          return key;
        }
      };

  /**
   * The shared part of the store key.
   *
   * @param key the view's key
   * @return the prefix (the same instance for keys that share it, so its hash is computed once)
   */
  String prefix(K key);

  /**
   * The rest of the store key.
   *
   * @param key the view's key
   * @return the suffix
   */
  String suffix(K key);

  /**
   * The whole store key.
   *
   * @param key the view's key
   * @return {@code prefix(key) + suffix(key)}
   */
  default String full(K key) {
    return prefix(key).concat(suffix(key));
  }

  /**
   * The key of the in-memory store: it must equal {@code MemoryKeys.of(full(key))}.
   *
   * @param key the view's key
   * @return the in-memory key
   */
  default Object memoryKey(K key) {
    return MemoryKeys.of(full(key));
  }

  /**
   * Whether {@link #memoryKey} returns the key itself for every key of {@code keys}, which lets the
   * in-memory store look them all up in one call.
   *
   * @param keys the keys
   * @return true when each key is its own in-memory key
   */
  default boolean areMemoryKeys(Collection<K> keys) {
    return false;
  }
}
