package io.batchwise.cache;

import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.FactoryContext;

/**
 * A {@link CacheFactory} whose caches are typed views over a {@link ByteStore}: implement {@link
 * #createStore(FactoryContext)} and the embedding cache comes for free, and the same store can back
 * a {@link Memoizer}.
 *
 * <p>Register the implementation in {@code META-INF/services/io.batchwise.spi.CacheFactory}; it
 * must be public with a public no-argument constructor.
 *
 * <pre>{@code
 * public final class MyStoreFactory implements ByteStoreFactory {
 *   public String id() { return "mystore"; }
 *   public ByteStore createStore(FactoryContext context) { return new MyStore(...); }
 * }
 * }</pre>
 */
public interface ByteStoreFactory extends CacheFactory {

  /**
   * Creates the byte store, configured from {@link FactoryContext#config()}.
   *
   * @param context configuration and shared services
   * @return a ready store, owned by the caller
   * @throws io.batchwise.config.ConfigurationException when an option is invalid
   */
  ByteStore createStore(FactoryContext context);

  /**
   * Creates the embedding cache: an {@link EmbeddingCaches#over(ByteStore, FactoryContext)
   * embedding view} over a new store, which the cache owns and closes.
   *
   * @param context configuration and shared services
   * @return the cache, also a {@link LoadingEmbeddingCache}
   */
  @Override
  default EmbeddingCache create(FactoryContext context) {
    return EmbeddingCaches.over(createStore(context), context);
  }
}
