package io.batchwise;

import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.map.MapperFactory;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.CallPacerFactory;
import io.batchwise.spi.EmbeddingProviderFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every option declared on a classpath — core's, and each discovered provider's, cache's,
 * scheduler's, pacer's and mapper's — with the factories that declare it, so that an option can be
 * checked both for being known and for belonging to what is selected. Immutable.
 */
final class DeclaredOptions {
  private static final Logger LOG = LoggerFactory.getLogger(DeclaredOptions.class);

  /** The kinds of factory that own options, as messages name them. */
  static final String PROVIDER = "provider";

  static final String CACHE = "cache";
  static final String SCHEDULER = "scheduler";
  static final String PACER = "pacer";
  static final String MAPPER = "mapper";

  private final Map<String, ConfigOption<?>> options;

  /** For each factory-owned key, its owners as kind → ids; core's own options have none. */
  private final Map<String, Map<String, List<String>>> owners;

  /** Each factory's own declarations, as kind → id → options. */
  private final Map<String, Map<String, List<ConfigOption<?>>>> byFactory = new LinkedHashMap<>();

  private DeclaredOptions(
      Map<String, ConfigOption<?>> options, Map<String, Map<String, List<String>>> owners) {
    this.options = options;
    this.owners = owners;
  }

  /**
   * The options declared by core and by every factory {@link ServiceLoader} finds.
   *
   * @return the options
   */
  static DeclaredOptions onClasspath() {
    DeclaredOptions d = new DeclaredOptions(new TreeMap<>(), new TreeMap<>());
    CoreOptions.all().forEach(o -> d.options.put(o.key(), o));
    for (EmbeddingProviderFactory f : FactoryRegistry.of(EmbeddingProviderFactory.class).all()) {
      d.add(f.options(), PROVIDER, f.id());
    }
    for (CacheFactory f : FactoryRegistry.of(CacheFactory.class).all()) {
      d.add(f.options(), CACHE, f.id());
    }
    for (SchedulerFactory f : FactoryRegistry.of(SchedulerFactory.class).all()) {
      d.add(f.options(), SCHEDULER, f.id());
    }
    for (CallPacerFactory f : FactoryRegistry.of(CallPacerFactory.class).all()) {
      d.add(f.options(), PACER, f.id());
    }
    for (MapperFactory f : FactoryRegistry.of(MapperFactory.class).all()) {
      d.add(f.options(), MAPPER, f.id());
    }
    return d;
  }

  private void add(List<ConfigOption<?>> declared, String kind, String id) {
    byFactory
        .computeIfAbsent(kind, k -> new LinkedHashMap<>())
        .putIfAbsent(id, List.copyOf(declared));
    for (ConfigOption<?> o : declared) {
      ConfigOption<?> earlier = options.putIfAbsent(o.key(), o);
      if (earlier != null && !earlier.equals(o)) {
        LOG.debug(
            "option '{}' declared again by {} {}; keeping the first declaration",
            o.key(),
            kind,
            id);
      }
      if (earlier == null || owners.containsKey(o.key())) { // a key of core's stays core's
        owners
            .computeIfAbsent(o.key(), k -> new LinkedHashMap<>())
            .computeIfAbsent(kind, k -> new ArrayList<>())
            .add(id);
      }
    }
  }

  /**
   * Every declared option.
   *
   * @return options by key, sorted
   */
  Map<String, ConfigOption<?>> all() {
    return Collections.unmodifiableMap(options);
  }

  /**
   * Core's options and those declared by the selected provider, cache, scheduler, pacer and mapper,
   * each as its owner declared it: what {@code build()} reads to validate every value before
   * anything runs.
   *
   * @param selected the id selected for each kind; a kind that is absent contributes nothing
   * @return the options; a key may appear twice when two owners declare it
   */
  List<ConfigOption<?>> ofSelected(Map<String, String> selected) {
    List<ConfigOption<?>> all = new ArrayList<>(CoreOptions.all());
    selected.forEach(
        (kind, id) ->
            all.addAll(byFactory.getOrDefault(kind, Map.of()).getOrDefault(id, List.of())));
    return all;
  }

  /**
   * Checks that an option is declared.
   *
   * @param key the option's key
   * @param where how it was set, for the message, or null
   * @throws ConfigurationException naming the key and the closest declared ones
   */
  void requireKnown(String key, String where) {
    if (!options.containsKey(key)) {
      throw ConfigurationException.unknownOption(key, options.keySet(), where);
    }
  }

  /**
   * Checks that options of a provider, cache, scheduler or mapper belong to the one selected:
   * setting {@code local.model} while the provider is {@code hashing} is a mistake that would
   * otherwise do nothing. An option is checked against the selected kinds that declare it and
   * accepted when any of them is the one selected; a kind absent from {@code selected} does not
   * vouch for it, so an option that the embedding provider and the mapper share ({@code
   * openai.base-url}) is held to the provider unless the mapper was chosen explicitly. An option no
   * selected kind declares is not checked.
   *
   * @param keys the options set (each declared)
   * @param selected the id selected for each kind; a kind that is absent is not checked (an
   *     instance was given instead of an id, and it takes no options; or the mapper was not chosen
   *     explicitly)
   * @throws ConfigurationException naming the option, the factories it belongs to and the selected
   *     one
   */
  void requireSelected(Collection<String> keys, Map<String, String> selected) {
    for (String key : keys) {
      Map<String, List<String>> byKind = owners.getOrDefault(key, Map.of());
      Map<String, List<String>> checked = new LinkedHashMap<>(byKind);
      checked.keySet().retainAll(selected.keySet());
      boolean applies =
          checked.isEmpty()
              || checked.entrySet().stream()
                  .anyMatch(e -> e.getValue().contains(selected.get(e.getKey())));
      if (!applies) {
        String chosen =
            checked.keySet().stream()
                .map(kind -> "the selected " + kind + " is '" + selected.get(kind) + "'")
                .collect(Collectors.joining(" and "));
        Map<String, List<String>> unchosen = new LinkedHashMap<>(byKind);
        unchosen.keySet().removeAll(checked.keySet());
        throw new ConfigurationException(
            "option '"
                + key
                + "' is an option of "
                + owners(checked)
                + ", but "
                + chosen
                + ": select that "
                + String.join(" or ", checked.keySet())
                + ", or leave the option out"
                + (unchosen.isEmpty()
                    ? ""
                    : "; it is also an option of "
                        + owners(unchosen)
                        + ", which counts once chosen by id (option "
                        + unchosen.keySet().stream()
                            .map(k -> "'" + k + "'")
                            .collect(Collectors.joining(" or "))
                        + ")"));
      }
    }
  }

  /** E.g. {@code cache 'sqlite' or 'tiered'}. */
  private static String owners(Map<String, List<String>> byKind) {
    return byKind.entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + " "
                    + e.getValue().stream()
                        .sorted()
                        .map(id -> "'" + id + "'")
                        .collect(Collectors.joining(" or ")))
        .collect(Collectors.joining(" or "));
  }
}
