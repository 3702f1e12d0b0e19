package io.batchwise.internal.discovery;

import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.FactoryContext;

/** Registers the null-object cache as {@code none}, core's default: nothing is cached. */
public final class NoCacheFactory implements CacheFactory {
  /** Creates the factory; called by {@link java.util.ServiceLoader}. */
  public NoCacheFactory() {}

  @Override
  public String id() {
    return "none";
  }

  @Override
  public EmbeddingCache create(FactoryContext context) {
    return EmbeddingCache.none();
  }
}
