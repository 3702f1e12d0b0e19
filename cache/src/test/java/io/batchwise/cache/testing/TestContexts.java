package io.batchwise.cache.testing;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** Factory contexts for tests, and meter readings. */
public final class TestContexts {
  private TestContexts() {}

  /**
   * A context whose configuration knows the factory's options and has {@code values}, isolated from
   * the real system properties and environment.
   *
   * @param factory the factory
   * @param values option values
   * @param registry the meter registry
   * @return the context
   */
  public static FactoryContext of(
      CacheFactory factory, Map<String, String> values, MeterRegistry registry) {
    Map<String, ConfigOption<?>> known = new HashMap<>();
    for (ConfigOption<?> o : factory.options()) {
      known.put(o.key(), o);
    }
    Config config = Config.of(values, known, name -> null, name -> null);
    return FactoryContext.of(
        config,
        registry,
        new TokenizerRegistry(List.of(), 0, ForkJoinPool.commonPool(), registry),
        ForkJoinPool.commonPool());
  }

  /**
   * The count of a counter, 0 when absent.
   *
   * @param registry the registry
   * @param name the meter name
   * @param tags tag key, value, key, value...
   * @return the count
   */
  public static double count(MeterRegistry registry, String name, String... tags) {
    var c = Search.in(registry).name(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  /**
   * The number of recordings of a timer, 0 when absent.
   *
   * @param registry the registry
   * @param name the meter name
   * @param tags tag key, value, key, value...
   * @return the count
   */
  public static long timerCount(MeterRegistry registry, String name, String... tags) {
    var t = Search.in(registry).name(name).tags(tags).timer();
    return t == null ? 0 : t.count();
  }
}
