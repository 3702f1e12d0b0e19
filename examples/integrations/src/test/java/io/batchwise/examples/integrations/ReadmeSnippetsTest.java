package io.batchwise.examples.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The README's integration snippets are complete programs: each, taken from the README (so the two
 * cannot drift apart), compiles against this module's class path — Batchwise, the integration, and
 * the framework an application brings — and runs, printing what the README says it prints.
 */
class ReadmeSnippetsTest {
  private static final Path README = Path.of("..", "..", "README.md");

  /** A snippet: a marker naming it, then a fenced Java block holding one public class. */
  private static final Pattern SNIPPET =
      Pattern.compile("<!-- snippet: (\\S+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

  private static final Pattern CLASS_NAME = Pattern.compile("public (?:final )?class (\\w+)");

  @TempDir Path classes;

  static Map<String, String> snippets() throws IOException {
    Map<String, String> snippets = new LinkedHashMap<>();
    Matcher m = SNIPPET.matcher(Files.readString(README, StandardCharsets.UTF_8));
    while (m.find()) {
      assertThat(snippets.put(m.group(1), m.group(2) + "\n"))
          .as("snippet %s is given once", m.group(1))
          .isNull();
    }
    return snippets;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "langchain4j-out | waggle dance",
        "langchain4j-in  | second run: providerCalls=0",
        "spring-ai       | waggle dance",
      })
  @DisplayName("a README snippet compiles and runs, printing what the README says")
  void snippetCompilesAndRuns(String name, String printed) throws Exception {
    String source = snippets().get(name);
    assertThat(source).as("the README has a snippet marked '%s'", name).isNotNull();
    Matcher className = CLASS_NAME.matcher(source);
    assertThat(className.find()).as("snippet %s declares a public class", name).isTrue();
    Path file = classes.resolve(className.group(1) + ".java");
    Files.writeString(file, source, StandardCharsets.UTF_8);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      // surefire runs the tests from a manifest-only jar: the real class path is in this property
      String classPath =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      boolean ok =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  List.of(
                      "--release",
                      "17",
                      "-Xlint:all",
                      "-Werror",
                      "-classpath",
                      classPath,
                      "-d",
                      classes.toString()),
                  null,
                  files.getJavaFileObjects(file.toFile()))
              .call();
      assertThat(ok).as("snippet %s compiles: %s", name, diagnostics.getDiagnostics()).isTrue();
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Method main = loader.loadClass(className.group(1)).getMethod("main", String[].class);
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(stdout);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .as("what snippet %s printed", name)
        .contains(printed);
  }
}
