package io.batchwise.cache.internal;

import io.batchwise.spi.CacheKey;

/**
 * The keys of the in-memory store. An embedding key {@code emb:<namespace>:<hash>} is held as the
 * {@link CacheKey} itself, so that a hit costs what a bare {@code Cache<CacheKey, float[]>} lookup
 * costs (no key to build, equality often by identity); every other key is a {@link StoreKey}.
 *
 * <p>{@link #of(String)} is the one canonical mapping from a store key's text to its in-memory key,
 * and {@link #text(Object)} its inverse; a view's key must map to the same in-memory key as its
 * text does (see {@link KeyParts#memoryKey}).
 */
final class MemoryKeys {
  private MemoryKeys() {}

  /**
   * The in-memory key of a store key's text.
   *
   * @param full the text, e.g. {@code emb:local/m/384/n:9f86...}
   * @return a {@link CacheKey} for an embedding key, else a {@link StoreKey}
   */
  static Object of(String full) {
    if (full.startsWith(ByteStoreEmbeddingCache.PREFIX)) {
      int split = full.lastIndexOf(':');
      if (split > ByteStoreEmbeddingCache.PREFIX.length()) {
        return new CacheKey(
            full.substring(ByteStoreEmbeddingCache.PREFIX.length(), split),
            full.substring(split + 1));
      }
    }
    return StoreKey.of(full);
  }

  /**
   * The in-memory key of an embedding key.
   *
   * @param key the key
   * @return the key itself, unless its hash contains {@code ':'} (never for real hashes)
   */
  static Object of(CacheKey key) {
    return key.textHash().indexOf(':') < 0 ? key : of(ByteStoreEmbeddingCache.storeKey(key));
  }

  /**
   * The text of an in-memory key.
   *
   * @param key a key made by this class
   * @return its store key text
   */
  static String text(Object key) {
    return key instanceof CacheKey
        ? ByteStoreEmbeddingCache.storeKey((CacheKey) key)
        : key.toString();
  }

  /**
   * Whether an in-memory key's text starts with {@code prefix}.
   *
   * @param key a key made by this class
   * @param prefix the prefix
   * @return true when it does
   */
  static boolean startsWith(Object key, String prefix) {
    return key instanceof StoreKey
        ? ((StoreKey) key).startsWith(prefix)
        : text(key).startsWith(prefix);
  }

  /**
   * The length of an in-memory key's text, for weighing.
   *
   * @param key a key made by this class
   * @return its length in characters
   */
  static int length(Object key) {
    if (key instanceof CacheKey) {
      CacheKey k = (CacheKey) key;
      return ByteStoreEmbeddingCache.PREFIX.length()
          + k.namespace().length()
          + 1
          + k.textHash().length();
    }
    return ((StoreKey) key).length();
  }
}
