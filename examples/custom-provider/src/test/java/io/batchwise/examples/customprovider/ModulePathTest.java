package io.batchwise.examples.customprovider;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example provider as a named module on the module path: an application module that requires
 * only {@code io.batchwise.core} finds the {@code hashing} provider through the {@code provides}
 * clause of this module and core's {@code uses}, and embeds the same vectors as on the class path
 * (where the other tests run). The module path is core's runtime dependencies (written by the
 * dependency plugin to {@code target/runtime-module-path.txt}) and this module's compiled classes.
 */
class ModulePathTest {
  private static final List<String> TEXTS =
      List.of("a module path", "the class path", "a module path");

  @Test
  @DisplayName(
      "an app module finds the provider module by its provides clause and embeds as on the class path")
  void runsAsNamedModule(@TempDir Path dir) throws Exception {
    Path app =
        compileApp(
            dir,
            """
        package demo;

        import io.batchwise.Batchwise;
        import io.batchwise.EmbedResult;
        import io.batchwise.discovery.FactoryRegistry;
        import io.batchwise.spi.EmbeddingProviderFactory;
        import java.util.List;
        import java.util.Map;
        import java.util.Properties;

        public final class Main {
          public static void main(String[] args) {
            try (Batchwise bw = Batchwise.builder().sources(new Properties(), Map.of())
                .provider("hashing").option("hashing.dimensions", "64").build()) {
              EmbedResult result = bw.embedder().embedAll(List.of(args));
              System.out.println("succeeded=" + result.allSucceeded());
              for (float[] v : result.vectors()) {
                System.out.println("vector=" + java.util.Arrays.toString(v));
              }
              Module provider = FactoryRegistry.of(EmbeddingProviderFactory.class).find("hashing").getClass().getModule();
              System.out.println("provider-module=" + provider.getName());
              System.out.println("provider-internal-exported=" + provider.isExported("io.batchwise.examples.customprovider.internal"));
              System.out.println("core-module=" + Batchwise.class.getModule().getName());
              System.out.println("core-internal-exported=" + Batchwise.class.getModule().isExported("io.batchwise.internal.embed"));
              System.out.println("app-module=" + Main.class.getModule().getName());
            }
          }
        }
        """);
    List<String> command =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "--module-path",
                modulePath() + File.pathSeparator + app,
                "--module",
                "demo.app/demo.Main"));
    command.addAll(TEXTS);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try (var in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the forked JVM exits").isTrue();
    assertThat(process.exitValue()).as(out).isZero();

    assertThat(out)
        .contains(
            "succeeded=true",
            "app-module=demo.app",
            "core-module=io.batchwise.core",
            "provider-module=io.batchwise.examples.customprovider",
            "core-internal-exported=false",
            "provider-internal-exported=false");
    List<String> vectors = out.lines().filter(l -> l.startsWith("vector=")).toList();
    assertThat(vectors).containsExactlyElementsOf(classPathVectors());
  }

  @Test
  @DisplayName("an app module that imports core's internal package does not compile")
  void internalPackagesDoNotCompile(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status =
        javac(
            dir,
            """
        package demo;

        public final class Main {
          public static void main(String[] args) {
            System.out.println(new io.batchwise.internal.scheduler.LocalSchedulerFactory().id());
          }
        }
        """,
            errors);
    assertThat(status).isNotZero();
    assertThat(errors.toString(StandardCharsets.UTF_8))
        .contains(
            "package io.batchwise.internal.scheduler is declared in module io.batchwise.core, which does not export it");
  }

  /** The vectors of {@link #TEXTS} on the class path, printed as the app prints them. */
  private static List<String> classPathVectors() {
    try (Batchwise bw =
        Batchwise.builder()
            .sources(new Properties(), Map.of())
            .provider("hashing")
            .option("hashing.dimensions", "64")
            .build()) {
      EmbedResult result = bw.embedder().embedAll(TEXTS);
      assertThat(result.allSucceeded()).isTrue();
      return result.vectors().stream().map(v -> "vector=" + Arrays.toString(v)).toList();
    }
  }

  private static Path compileApp(Path dir, String main) throws IOException {
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = javac(dir, main, errors);
    assertThat(status).as(errors.toString(StandardCharsets.UTF_8)).isZero();
    return dir.resolve("classes");
  }

  private static int javac(Path dir, String main, ByteArrayOutputStream errors) throws IOException {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("demo"));
    Files.writeString(
        src.resolve("module-info.java"), "module demo.app { requires io.batchwise.core; }\n");
    Files.writeString(src.resolve("demo/Main.java"), main);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    // an explicit, empty class path: in-process javac would otherwise take this test JVM's
    return javac.run(
        null,
        errors,
        errors,
        "--release",
        "17",
        "--module-path",
        modulePath(),
        "--class-path",
        src.toString(),
        "-d",
        dir.resolve("classes").toString(),
        src.resolve("module-info.java").toString(),
        src.resolve("demo/Main.java").toString());
  }

  /** Core and its runtime dependencies, and this module's classes (with its module-info). */
  private static String modulePath() throws IOException {
    Path deps = Paths.get("target", "runtime-module-path.txt");
    String runtime = Files.readString(deps).trim();
    Path classes = Paths.get("target", "classes");
    assertThat(classes.resolve("module-info.class"))
        .as("this module compiled as a named module")
        .exists();
    return Arrays.stream(
            (runtime + File.pathSeparator + classes.toAbsolutePath()).split(File.pathSeparator))
        .filter(s -> !s.isBlank())
        .collect(Collectors.joining(File.pathSeparator));
  }
}
