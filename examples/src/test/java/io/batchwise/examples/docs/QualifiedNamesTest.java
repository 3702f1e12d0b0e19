package io.batchwise.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No module writes a fully qualified {@code java.util} name inline: a type from {@code java.util}
 * is imported, so a file's dependencies are all in its imports and a clash of simple names shows
 * there. This module's tests run with every module beside it, so they check the whole repository.
 */
class QualifiedNamesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  @DisplayName("no src/main/java or src/test/java file of any module names a java.util type inline")
  void noInlineJavaUtilNames() {
    List<Path> roots = QualifiedNames.sourceRoots(ROOT);
    assertThat(roots)
        .as("source roots under %s", ROOT)
        .contains(
            ROOT.resolve("core/src/main/java"),
            ROOT.resolve("core/src/test/java"),
            ROOT.resolve("examples/src/test/java"),
            ROOT.resolve("integrations/spark/src/main/java"));
    List<Path> files = QualifiedNames.javaFiles(roots);
    assertThat(files).as("Java files found").hasSizeGreaterThan(300);
    assertThat(QualifiedNames.offences(ROOT, files))
        .as(
            "lines spelling out %s...: import the type instead (file:line: text)",
            QualifiedNames.PREFIX)
        .isEmpty();
  }

  @Test
  @DisplayName(
      "the rule finds a name in code and in javadoc, and ignores imports, the package line and literals")
  void findsWhatItShould() {
    String source =
        String.join(
            "\n",
            "package io.example;",
            "",
            "import java.util.List;",
            "",
            "/** Like {@link java.util.Map}, but more so. */",
            "class Sample {",
            "  java.util.Set<String> names;",
            "  String s = \"java.util.List is data\";",
            "  char q = '\"'; java.util.Optional<String> o; // a quote in a char literal ends nothing",
            "  String block = \"\"\"",
            "      java.util.List inside a text block",
            "      \"\"\";",
            "  // java.util.concurrent.Executor in a line comment",
            "}");
    assertThat(QualifiedNames.offendingLines(source)).containsExactly(5, 7, 9, 13);
  }

  @Test
  @DisplayName("the places named are relative to the repository root, with line numbers")
  void namesFileAndLine(@TempDir Path dir) throws IOException {
    Path file = Files.createDirectories(dir.resolve("m/src/main/java/p")).resolve("A.java");
    Files.writeString(file, "package p;\n\nclass A {\n  java.util.List<String> a;\n}\n");
    Files.writeString(
        Files.createDirectories(dir.resolve("m/target/src/main/java")).resolve("B.java"),
        "class B { java.util.List<String> b; }\n"); // build output is not searched
    assertThat(QualifiedNames.sourceRoots(dir)).containsExactly(dir.resolve("m/src/main/java"));
    assertThat(
            QualifiedNames.offences(dir, QualifiedNames.javaFiles(QualifiedNames.sourceRoots(dir))))
        .containsExactly("m/src/main/java/p/A.java:4: java.util.List<String> a;");
  }
}
