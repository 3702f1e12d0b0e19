package io.batchwise.examples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds fully qualified {@code java.util} names written inline in the repository's Java sources, in
 * code or in comments and javadoc ({@code {@link List}}), where an import would do: the rule {@link
 * QualifiedNamesTest} enforces. Import and package lines are what names a package, and a string or
 * character literal is data, so neither counts.
 */
final class QualifiedNames {
  /** The prefix no source line may spell out. */
  static final String PREFIX = "java.util.";

  /** Directories never searched: build output, version control, tool state. */
  private static final Set<String> SKIPPED = Set.of("target", "node_modules");

  private QualifiedNames() {}

  /**
   * Every module's source roots under {@code root}: each {@code src/main/java} and {@code
   * src/test/java}, however deep the module (examples/custom-provider, integrations/spark).
   *
   * @param root the repository root
   * @return the source roots, sorted
   */
  static List<Path> sourceRoots(Path root) {
    List<Path> roots = new ArrayList<>();
    Path main = Path.of("src", "main", "java");
    Path test = Path.of("src", "test", "java");
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
              if (!dir.equals(root) && (SKIPPED.contains(name) || name.startsWith("."))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              if (dir.endsWith(main) || dir.endsWith(test)) {
                roots.add(dir);
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    roots.sort(null);
    return roots;
  }

  /**
   * The Java files under the given source roots.
   *
   * @param sourceRoots directories to search
   * @return every {@code .java} file, sorted
   */
  static List<Path> javaFiles(List<Path> sourceRoots) {
    List<Path> files = new ArrayList<>();
    for (Path dir : sourceRoots) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
            .forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    files.sort(null);
    return files;
  }

  /**
   * Each place in {@code files} that spells out a {@code java.util} name inline.
   *
   * @param root the repository root, which the places are named relative to
   * @param files the files to read
   * @return {@code path:line: text} for each offending line
   */
  static List<String> offences(Path root, List<Path> files) {
    List<String> found = new ArrayList<>();
    for (Path file : files) {
      String source;
      try {
        source = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String[] lines = source.split("\n", -1);
      for (int line : offendingLines(source)) {
        found.add(root.relativize(file) + ":" + line + ": " + lines[line - 1].strip());
      }
    }
    return found;
  }

  /**
   * The 1-based numbers of the lines of {@code source} that spell out a {@code java.util} name
   * outside an import or package declaration and outside string, text-block and character literals.
   *
   * @param source a Java compilation unit
   * @return the offending lines, ascending
   */
  static List<Integer> offendingLines(String source) {
    String[] lines = withoutLiterals(source).split("\n", -1);
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String text = lines[i].strip();
      if (text.startsWith("import ") || text.startsWith("package ")) {
        continue;
      }
      if (text.contains(PREFIX)) {
        found.add(i + 1);
      }
    }
    return found;
  }

  /**
   * {@code source} with the contents of its string, text-block and character literals blanked (line
   * breaks kept, so line numbers still match); comments are kept, since javadoc names count.
   */
  private static String withoutLiterals(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int n = source.length();
    int i = 0;
    while (i < n) {
      char c = source.charAt(i);
      if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        int end = source.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(source, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(source, i, end);
        i = end;
      } else if (source.startsWith("\"\"\"", i)) {
        int end = closing(source, i + 3, "\"\"\"");
        blank(out, source, i, end);
        i = end;
      } else if (c == '"' || c == '\'') {
        int end = closing(source, i + 1, String.valueOf(c));
        blank(out, source, i, end);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * The index just past the {@code delimiter} that closes a literal whose contents start at {@code
   * from}.
   */
  private static int closing(String source, int from, String delimiter) {
    int i = from;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (source.startsWith(delimiter, i)) {
        return i + delimiter.length();
      } else if (c == '\n' && delimiter.length() == 1) {
        return i; // an unclosed literal ends with its line (the compiler reports it, not this rule)
      } else {
        i++;
      }
    }
    return source.length();
  }

  private static void blank(StringBuilder out, String source, int from, int to) {
    for (int i = from; i < to; i++) {
      out.append(source.charAt(i) == '\n' ? '\n' : ' ');
    }
  }
}
