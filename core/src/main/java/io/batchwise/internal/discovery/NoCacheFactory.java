package io.batchwise.internal.discovery;

import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.FactoryContext;
import java.util.ServiceLoader;

/** Registers the null-object cache as {@code none}, core's default: nothing is cached. */
public final class NoCacheFactory implements CacheFactory {
  /** Creates the factory; called by {@link ServiceLoader}. */
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
