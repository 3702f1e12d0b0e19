package io.batchwise.examples.docs;

import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.redis.RedisOptions;
import io.batchwise.cache.sqlite.SqliteOptions;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.CoreOptions;
import io.batchwise.map.MapperFactory;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.CallPacerFactory;
import io.batchwise.spi.EmbeddingProviderFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every configuration option on the examples' classpath (which holds every module), grouped by what
 * declares it, and the README's table rows for them. Run {@link #main} to print the reference after
 * adding options; {@code ConfigReferenceTest} fails while the README lacks one.
 */
final class ConfigReference {
  private static final List<String> PROVIDER_ORDER = List.of("local", "openai");

  private ConfigReference() {}

  /**
   * Options by the group that declares them; each key once, in the first group that declares it.
   */
  static Map<String, List<ConfigOption<?>>> groups() {
    Map<String, List<ConfigOption<?>>> groups = new LinkedHashMap<>();
    Set<String> seen = new TreeSet<>();
    add(groups, seen, "Core (`batchwise-core`)", CoreOptions.all());
    for (SchedulerFactory f : ServiceLoader.load(SchedulerFactory.class)) {
      add(groups, seen, "Scheduler `" + f.id() + "`", f.options());
    }
    List<EmbeddingProviderFactory> providers = new ArrayList<>();
    ServiceLoader.load(EmbeddingProviderFactory.class).forEach(providers::add);
    // the shipped providers first, then third-party ones by id
    providers.sort(
        Comparator.comparing((EmbeddingProviderFactory f) -> PROVIDER_ORDER.indexOf(f.id()) < 0)
            .thenComparing(f -> PROVIDER_ORDER.indexOf(f.id()))
            .thenComparing(EmbeddingProviderFactory::id));
    for (EmbeddingProviderFactory f : providers) {
      add(
          groups,
          seen,
          "Provider `"
              + f.id()
              + "`"
              + (PROVIDER_ORDER.contains(f.id()) ? "" : " (the custom-provider example)"),
          f.options());
    }
    // a mapper shares the server's options with the provider of the same service: only its own are
    // new here
    for (MapperFactory f : ServiceLoader.load(MapperFactory.class)) {
      add(groups, seen, "Mapper `" + f.id() + "` (`bw.mapper()`, `batchwise map`)", f.options());
    }
    // each cache module's own options; a cache's factory also lists options it shares with others
    add(groups, seen, "Caches `caffeine` and `tiered` (`batchwise-cache`)", CacheOptions.all());
    add(groups, seen, "Cache `sqlite` (`batchwise-cache-sqlite`)", SqliteOptions.all());
    add(groups, seen, "Cache `redis` (`batchwise-cache-redis`)", RedisOptions.all());
    for (CacheFactory f : ServiceLoader.load(CacheFactory.class)) {
      add(groups, seen, "Cache `" + f.id() + "`", f.options());
    }
    for (CallPacerFactory f : ServiceLoader.load(CallPacerFactory.class)) {
      add(groups, seen, "Pacer `" + f.id() + "`", f.options());
    }
    return groups;
  }

  private static void add(
      Map<String, List<ConfigOption<?>>> groups,
      Set<String> seen,
      String group,
      List<ConfigOption<?>> options) {
    List<ConfigOption<?>> fresh = new ArrayList<>();
    for (ConfigOption<?> o : options) {
      if (seen.add(o.key())) {
        fresh.add(o);
      }
    }
    if (!fresh.isEmpty()) {
      groups.computeIfAbsent(group, g -> new ArrayList<>()).addAll(fresh);
    }
  }

  /** Every option, flattened. */
  static List<ConfigOption<?>> all() {
    return groups().values().stream().flatMap(List::stream).toList();
  }

  static String defaultCell(ConfigOption<?> o) {
    return o.defaultText() == null
        ? "—"
        : o.defaultText().isEmpty() ? "(empty)" : "`" + o.defaultText() + "`";
  }

  static String environmentCell(ConfigOption<?> o) {
    List<String> names = new ArrayList<>();
    names.add(o.environmentVariable());
    names.addAll(o.envAliases());
    return "`" + String.join("`, `", names) + "`";
  }

  static String row(ConfigOption<?> o) {
    return "| `"
        + o.key()
        + "` | "
        + defaultCell(o)
        + " | `-D"
        + o.systemProperty()
        + "` | "
        + environmentCell(o)
        + " | "
        + o.description().replace("|", "\\|")
        + (o.secret() ? " Secret: never printed." : "")
        + " |";
  }

  /** The reference as Markdown. */
  static String markdown() {
    StringBuilder b = new StringBuilder();
    groups()
        .forEach(
            (group, options) -> {
              b.append("#### ").append(group).append("\n\n");
              b.append(
                  "| option | default | system property | environment | meaning |\n|---|---|---|---|---|\n");
              options.forEach(o -> b.append(row(o)).append('\n'));
              b.append('\n');
            });
    return b.toString();
  }

  /**
   * Prints the reference.
   *
   * @param args none
   */
  public static void main(String[] args) {
    System.out.print(markdown());
  }
}
