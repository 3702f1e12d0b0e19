package io.batchwise.examples.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * No module refers to another module's {@code internal} package, in main or test code, in any
 * module of the build. For the library modules the compiler already refuses it in main code (their
 * {@code module-info} does not export {@code internal}); this scan also covers what the compiler
 * does not see: test code (compiled on the class path), the Spark integration (which cannot be a
 * named module), the examples and the benchmarks.
 *
 * <p>A module is a directory with a {@code pom.xml} and a {@code src} directory; it owns the
 * packages of its {@code src/main/java} and {@code src/test/java}. A reference is any qualified
 * name {@code io.batchwise....internal....} in code (imports, static imports, fully qualified
 * names), not in comments or string literals.
 */
class InternalPackagesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern REFERENCE =
      Pattern.compile(
          "\\bio\\.batchwise(?:\\s*\\.\\s*[a-z_][a-z0-9_]*)*\\s*\\.\\s*internal(?:\\s*\\.\\s*[a-z_][a-z0-9_]*)*");

  @Test
  @DisplayName("no module refers to another module's internal package")
  void noModuleReachesIntoAnother() throws IOException {
    Map<String, Path> owners = packageOwners();
    assertThat(owners)
        .as("the scan sees core's internal packages")
        .containsKey("io.batchwise.internal.embed");
    List<String> violations = new ArrayList<>();
    for (Path module : modules()) {
      for (Path file : javaFiles(module)) {
        violations.addAll(
            violations(module, file, Files.readString(file, StandardCharsets.UTF_8), owners));
      }
    }
    assertThat(violations)
        .as(
            "references to another module's internal package (move the type to an exported package)")
        .isEmpty();
  }

  @Test
  @DisplayName(
      "the scan finds an import, a static import and a qualified name, and skips comments and strings")
  void scanFindsReferences() throws IOException {
    Map<String, Path> owners = packageOwners();
    Path cache = ROOT.resolve("cache");
    String source =
        """
        package io.batchwise.cache;

        import io.batchwise.internal.scheduler.LocalSchedulerFactory;
        import static io.batchwise.internal.embed.Deduplicator.dedupe;
        import io.batchwise.cache.internal.Stores;

        // io.batchwise.internal.wiring.CoreModule in a comment
        /* io.batchwise.internal.wiring.CoreModule in a block comment */
        class X {
          String s = "io.batchwise.internal.wiring.CoreModule";
          Object o = new io.batchwise.internal.concurrent.NamedThreadFactory("x");
        }
        """;
    List<String> found =
        violations(cache, cache.resolve("src/main/java/io/batchwise/cache/X.java"), source, owners);
    assertThat(found)
        .hasSize(3)
        .anySatisfy(v -> assertThat(v).contains(":3: io.batchwise.internal.scheduler (core)"))
        .anySatisfy(v -> assertThat(v).contains(":4: io.batchwise.internal.embed (core)"))
        .anySatisfy(v -> assertThat(v).contains(":11: io.batchwise.internal.concurrent (core)"));
  }

  private static List<String> violations(
      Path module, Path file, String source, Map<String, Path> owners) {
    List<String> found = new ArrayList<>();
    String code = code(source);
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      String pkg = m.group().replaceAll("\\s", "");
      Path owner = owners.get(pkg);
      if (owner != null && !owner.equals(module)) {
        int line = (int) code.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
        found.add(
            ROOT.relativize(file) + ":" + line + ": " + pkg + " (" + ROOT.relativize(owner) + ")");
      }
    }
    return found;
  }

  /** Each package with sources, by the module that holds it (main sources first, then tests). */
  private static Map<String, Path> packageOwners() throws IOException {
    Map<String, Path> owners = new TreeMap<>();
    for (String set : List.of("main", "test")) {
      for (Path module : modules()) {
        Path root = module.resolve("src").resolve(set).resolve("java");
        for (Path file : sources(root)) {
          Path dir = root.relativize(file).getParent();
          if (dir != null) {
            owners.putIfAbsent(
                dir.toString().replace(root.getFileSystem().getSeparator(), "."), module);
          }
        }
      }
    }
    return owners;
  }

  /** Directories with a pom.xml and a src directory, outside build output. */
  private static List<Path> modules() throws IOException {
    List<Path> modules = new ArrayList<>();
    Files.walkFileTree(
        ROOT,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            if (!dir.equals(ROOT) && (name.equals("target") || name.startsWith("."))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            if (Files.isRegularFile(dir.resolve("pom.xml"))
                && Files.isDirectory(dir.resolve("src"))) {
              modules.add(dir);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    modules.sort(null);
    return modules;
  }

  private static List<Path> javaFiles(Path module) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String set : List.of("main", "test")) {
      files.addAll(sources(module.resolve("src").resolve(set).resolve("java")));
    }
    return files;
  }

  private static List<Path> sources(Path sourceRoot) throws IOException {
    if (!Files.isDirectory(sourceRoot)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(sourceRoot)) {
      return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  /**
   * The source with comments, string and character literals and text blocks blanked (newlines
   * kept).
   */
  static String code(String src) {
    StringBuilder b = new StringBuilder(src.length());
    int i = 0;
    int n = src.length();
    while (i < n) {
      int end;
      if (src.startsWith("//", i)) {
        end = src.indexOf('\n', i);
        end = end < 0 ? n : end;
      } else if (src.startsWith("/*", i)) {
        end = src.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        end = src.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end + 3;
      } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
        char quote = src.charAt(i);
        end = i + 1;
        while (end < n && src.charAt(end) != quote && src.charAt(end) != '\n') {
          end += src.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(n, end + 1);
      } else {
        b.append(src.charAt(i++));
        continue;
      }
      for (int j = i; j < end; j++) {
        b.append(src.charAt(j) == '\n' ? '\n' : ' ');
      }
      i = end;
    }
    return b.toString();
  }
}
