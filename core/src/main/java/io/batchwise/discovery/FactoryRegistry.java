package io.batchwise.discovery;

import io.batchwise.map.MapperFactory;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.CallPacerFactory;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.TokenizerFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists and finds the factories of one SPI that {@link ServiceLoader} finds on the class path or
 * the module path (core's {@code module-info} declares {@code uses} for each of them).
 *
 * <p>Example: {@code FactoryRegistry.of(EmbeddingProviderFactory.class).find("openai")}.
 *
 * <p>A factory that fails to load is reported (logged with the cause) and skipped, as SLF4J does
 * with a broken provider. {@link #find(String)} fails loudly: for an unknown id the message lists
 * the ids found and names the artifact that provides a known one; for an id registered twice it
 * names both classes. Immutable after construction.
 *
 * @param <F> the factory type
 */
public final class FactoryRegistry<F> {
  private static final Logger LOG = LoggerFactory.getLogger(FactoryRegistry.class);

  /** Which artifact provides each id that ships with Batchwise, for "add this artifact" hints. */
  static final Map<String, String> KNOWN_ARTIFACTS =
      Map.of(
          "local", "io.batchwise:batchwise-providers-local",
          "openai", "io.batchwise:batchwise-providers-openai",
          "jtokkit", "io.batchwise:batchwise-providers-openai",
          "caffeine", "io.batchwise:batchwise-cache",
          "sqlite", "io.batchwise:batchwise-cache-sqlite",
          "redis", "io.batchwise:batchwise-cache-redis",
          "tiered", "io.batchwise:batchwise-cache");

  private final String spiName;
  private final List<F> factories;
  private final Function<F, String> idOf;

  private FactoryRegistry(String spiName, List<F> factories, Function<F, String> idOf) {
    this.spiName = spiName;
    this.factories = List.copyOf(factories);
    this.idOf = idOf;
  }

  /**
   * The registry of one of Batchwise's factory SPIs, loaded with this class's class loader and the
   * thread's context class loader.
   *
   * @param type {@link EmbeddingProviderFactory}, {@link TokenizerFactory}, {@link CacheFactory},
   *     {@link SchedulerFactory}, {@link CallPacerFactory} or {@link MapperFactory}
   * @param <F> the factory type
   * @return the registry
   */
  public static <F> FactoryRegistry<F> of(Class<F> type) {
    return new FactoryRegistry<>(type.getSimpleName(), load(type), idFunction(type));
  }

  /**
   * A registry over explicit factories, for tests.
   *
   * @param type the factory type
   * @param factories the factories
   * @param <F> the factory type
   * @return the registry
   */
  public static <F> FactoryRegistry<F> of(Class<F> type, List<F> factories) {
    return new FactoryRegistry<>(type.getSimpleName(), factories, idFunction(type));
  }

  @SuppressWarnings("unchecked")
  private static <F> Function<F, String> idFunction(Class<F> type) {
    if (type == EmbeddingProviderFactory.class) {
      return f -> ((EmbeddingProviderFactory) f).id();
    } else if (type == TokenizerFactory.class) {
      return f -> ((TokenizerFactory) f).id();
    } else if (type == CacheFactory.class) {
      return f -> ((CacheFactory) f).id();
    } else if (type == SchedulerFactory.class) {
      return f -> ((SchedulerFactory) f).id();
    } else if (type == CallPacerFactory.class) {
      return f -> ((CallPacerFactory) f).id();
    } else if (type == MapperFactory.class) {
      return f -> ((MapperFactory) f).id();
    }
    throw new IllegalArgumentException("not a Batchwise factory SPI: " + type.getName());
  }

  private static <F> List<F> load(Class<F> type) {
    List<F> found = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (ClassLoader loader : loaders()) {
      ServiceLoader<F> serviceLoader = ServiceLoader.load(type, loader);
      var it = serviceLoader.stream().iterator();
      while (true) {
        ServiceLoader.Provider<F> provider;
        try {
          if (!it.hasNext()) {
            break;
          }
          provider = it.next();
        } catch (ServiceConfigurationError e) {
          LOG.warn(
              "skipping a broken {} on the classpath: {}", type.getSimpleName(), e.getMessage(), e);
          continue;
        }
        if (classes.contains(provider.type().getName())) {
          continue; // the same class seen through a second class loader
        }
        try {
          found.add(provider.get());
          classes.add(provider.type().getName());
        } catch (ServiceConfigurationError | RuntimeException e) {
          LOG.warn(
              "skipping {} {}: it failed to load: {}",
              type.getSimpleName(),
              provider.type().getName(),
              e.getMessage(),
              e);
        }
      }
    }
    return found;
  }

  private static List<ClassLoader> loaders() {
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(FactoryRegistry.class.getClassLoader());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != loaders.get(0)) {
      loaders.add(context);
    }
    return loaders;
  }

  /**
   * Every factory found, in discovery order.
   *
   * @return the factories
   */
  public List<F> all() {
    return factories;
  }

  /**
   * The ids found, sorted.
   *
   * @return the ids
   */
  public List<String> ids() {
    List<String> ids = new ArrayList<>();
    for (F f : factories) {
      ids.add(idOf.apply(f));
    }
    Collections.sort(ids);
    return ids;
  }

  /**
   * The one factory with {@code id}.
   *
   * @param id the id, e.g. {@code local}
   * @return the factory
   * @throws IllegalStateException when none or more than one has the id; the message lists what was
   *     found and how to fix it
   */
  public F find(String id) {
    Objects.requireNonNull(id, "id");
    Map<String, F> matches = new TreeMap<>();
    for (F f : factories) {
      if (id.equals(idOf.apply(f))) {
        matches.put(f.getClass().getName(), f);
      }
    }
    if (matches.size() == 1) {
      return matches.values().iterator().next();
    }
    if (matches.size() > 1) {
      throw new IllegalStateException(
          "two "
              + spiName
              + "s have the id '"
              + id
              + "': "
              + String.join(" and ", matches.keySet())
              + ". Remove one of the jars from the classpath, or give one factory another id.");
    }
    String artifact = KNOWN_ARTIFACTS.get(id);
    throw new IllegalStateException(
        "no "
            + spiName
            + " with the id '"
            + id
            + "' on the classpath; found: "
            + (factories.isEmpty() ? "none" : String.join(", ", ids()))
            + "."
            + (artifact != null
                ? " Add the dependency " + artifact + " to use '" + id + "'."
                : " Check the id, or add the jar whose META-INF/services/"
                    + "io.batchwise... file registers it."));
  }
}
