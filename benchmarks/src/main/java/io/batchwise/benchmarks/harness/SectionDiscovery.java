package io.batchwise.benchmarks.harness;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds every {@link MacroBenchmark} of the benchmarks module by listing the classes under {@code
 * io/batchwise/benchmarks/} in the module's own jar or classes directory, so a section someone adds
 * (in its area's package) is run without being registered anywhere.
 *
 * <p>A section's key is its area: the package after {@code io.batchwise.benchmarks}, e.g. {@code
 * tokenizer}; when one area holds several sections, each key is {@code area:ClassName}. Sections
 * come in the order of {@link #AREA_ORDER} (the order of the list, with {@code map} after
 * the scheduler whose batches it sends), then other areas alphabetically, and by class name within
 * an area. Nested and JMH-generated classes are skipped.
 */
public final class SectionDiscovery {
  /** Areas in report order; areas not listed follow alphabetically. */
  public static final List<String> AREA_ORDER =
      List.of("openai", "local", "cache", "scheduler", "map", "tokenizer", "index", "jmh");

  private static final String ROOT = "io/batchwise/benchmarks/";

  private SectionDiscovery() {}

  /**
   * The sections in the code source that holds this class (the benchmarks jar, or {@code
   * target/classes} in a build).
   *
   * @return the sections, in report order
   * @throws IllegalStateException when the code source cannot be listed, or a class under the
   *     benchmarks package cannot be loaded (a broken build must not look like a shorter report)
   */
  public static List<Section> discover() {
    Path source;
    try {
      source =
          Path.of(
              SectionDiscovery.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot locate the benchmarks' classes to find the sections", e);
    }
    return discover(classNames(source), SectionDiscovery.class.getClassLoader());
  }

  /**
   * The sections among the named classes.
   *
   * @param classNames binary class names
   * @param loader where to load them from (without initializing them)
   * @return the concrete {@link MacroBenchmark} implementations, as sections in report order
   */
  static List<Section> discover(List<String> classNames, ClassLoader loader) {
    List<Class<? extends MacroBenchmark>> types = new ArrayList<>();
    for (String name : classNames) {
      Class<?> c;
      try {
        c = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException("cannot load benchmark class " + name + ": " + e, e);
      }
      if (MacroBenchmark.class.isAssignableFrom(c)
          && !c.isInterface()
          && !Modifier.isAbstract(c.getModifiers())) {
        types.add(c.asSubclass(MacroBenchmark.class));
      }
    }
    Map<String, Long> perArea =
        types.stream()
            .collect(Collectors.groupingBy(SectionDiscovery::area, Collectors.counting()));
    Function<Class<?>, String> key =
        c -> perArea.get(area(c)) > 1 ? area(c) + ":" + c.getSimpleName() : area(c);
    return types.stream()
        .sorted(
            Comparator.comparing((Class<?> c) -> areaRank(area(c)))
                .thenComparing(SectionDiscovery::area)
                .thenComparing(Class::getName))
        .map(c -> Section.of(key.apply(c), c))
        .toList();
  }

  /**
   * The area of a section class: the first package segment after {@code io.batchwise.benchmarks},
   * or the lower-cased simple name for a class in that package itself.
   *
   * @param type a section class
   * @return e.g. {@code tokenizer}
   */
  static String area(Class<?> type) {
    String pkg = type.getPackageName();
    String base = "io.batchwise.benchmarks";
    if (pkg.length() > base.length() && pkg.startsWith(base + ".")) {
      String rest = pkg.substring(base.length() + 1);
      int dot = rest.indexOf('.');
      return dot < 0 ? rest : rest.substring(0, dot);
    }
    return type.getSimpleName().toLowerCase(Locale.ROOT);
  }

  private static int areaRank(String area) {
    int i = AREA_ORDER.indexOf(area);
    return i < 0 ? AREA_ORDER.size() : i;
  }

  /**
   * The top-level classes under {@code io/batchwise/benchmarks/} in a classes directory or jar,
   * without JMH's generated classes.
   *
   * @param source a directory or a jar file
   * @return binary class names, sorted
   */
  static List<String> classNames(Path source) {
    TreeSet<String> names = new TreeSet<>();
    try {
      if (Files.isDirectory(source)) {
        Path root = source.resolve(ROOT);
        if (Files.isDirectory(root)) {
          try (Stream<Path> files = Files.walk(root)) {
            files
                .filter(Files::isRegularFile)
                .map(p -> source.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                .forEach(p -> addIfSectionCandidate(p, names));
          }
        }
      } else {
        try (JarFile jar = new JarFile(source.toFile())) {
          jar.stream().map(JarEntry::getName).forEach(p -> addIfSectionCandidate(p, names));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot list the benchmark classes in " + source + ": " + e.getMessage(), e);
    }
    return List.copyOf(names);
  }

  private static void addIfSectionCandidate(String path, TreeSet<String> names) {
    if (path.startsWith(ROOT)
        && path.endsWith(".class")
        && !path.contains("$")
        && !path.contains("/jmh_generated/")
        && !path.endsWith("package-info.class")) {
      names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
  }
}
