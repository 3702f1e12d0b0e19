package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's {@code ./batchwise} launcher as a user runs it: from another directory, with paths
 * relative to that directory, under a umask of 022. It runs the jar the package phase just made
 * (the test fails if the launcher decides to rebuild).
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("..", "batchwise").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CLASS_LOAD = Pattern.compile("\\] (\\S+) source: (.*)$");

  @TempDir Path work;

  @BeforeAll
  static void launcherExists() {
    assertThat(LAUNCHER).as("the launcher at the checkout's root").isExecutable();
  }

  /** Runs {@code batchwise ARGS} in {@code work} under umask 022, with this test's JDK. */
  private ProcessRun batchwise(String stdin, String... args) throws Exception {
    return batchwise(Map.of(), stdin, args);
  }

  /** {@link #batchwise(String, String...)} with more environment variables. */
  private ProcessRun batchwise(Map<String, String> env, String stdin, String... args)
      throws Exception {
    Map<String, String> environment = new HashMap<>(env);
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    List<String> command =
        new ArrayList<>(
            List.of("bash", "-c", "umask 022 && exec \"$0\" \"$@\"", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessRun r = ProcessRun.of(command, work, environment, stdin, work.getParent());
    assertThat(r.err())
        .as("the launcher ran the packaged jar without building")
        .doesNotContain("batchwise: building");
    return r;
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  @DisplayName(
      "relative --in and --out resolve against the user's directory; outputs get the umask, the cache stays private")
  void pathsAreTheUsers() throws Exception {
    Files.writeString(work.resolve("small.txt"), "first line\nsecond line\n");
    ProcessRun r =
        batchwise(
            "",
            "embed",
            "--in",
            "small.txt",
            "--out",
            "vectors.jsonl",
            "--provider",
            "hashing",
            "--dimensions",
            "16",
            "-q",
            "--cache",
            "sqlite",
            "--cache-path",
            "cache/c.db");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(VectorFiles.jsonl(work.resolve("vectors.jsonl"))).hasSize(2);
    assertThat(LAUNCHER.resolveSibling("vectors.jsonl"))
        .as("nothing lands in the checkout")
        .doesNotExist();
    assertThat(perms(work.resolve("vectors.jsonl"))).isEqualTo("rw-r--r--");
    assertThat(perms(work.resolve("cache"))).isEqualTo("rwx------");
    assertThat(perms(work.resolve("cache/c.db"))).isEqualTo("rw-------");

    r =
        batchwise(
            "",
            "index",
            "--in",
            "small.txt",
            "--out",
            "small.index",
            "--provider",
            "hashing",
            "-q");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("into " + work.resolve("small.index").toRealPath());
    assertThat(perms(work.resolve("small.index"))).isEqualTo("rw-r--r--");
  }

  @Test
  @DisplayName("a missing relative input is named by its absolute path in the user's directory")
  void messagesNameAbsolutePaths() throws Exception {
    ProcessRun r =
        batchwise("", "embed", "--in", "small.txt", "--out", "v.jsonl", "--provider", "hashing");
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.err().lines().toList())
        .containsExactly(
            "batchwise embed: input not found: " + work.toRealPath().resolve("small.txt"));
  }

  @Test
  @DisplayName(
      "--out - puts only the vectors on stdout; a third-party jar given with --classpath is used by id")
  void stdoutAndClasspath() throws Exception {
    Path jar = ProviderJars.tinyProvider(Files.createDirectory(work.resolve("plugin-build")));
    Files.copy(jar, work.resolve("tiny.jar"));
    ProcessRun without =
        batchwise("abc\n", "embed", "--provider", "tiny", "--in", "-", "--out", "-", "-q");
    assertThat(without.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(without.out()).isEmpty();

    ProcessRun with =
        batchwise(
            "abc\n",
            "embed",
            "--classpath",
            "tiny.jar",
            "--provider",
            "tiny",
            "--in",
            "-",
            "--out",
            "-");
    assertThat(with.code()).as(with.toString()).isZero();
    List<String> lines = with.out().lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(VectorFiles.vector(JSON.readTree(lines.get(0))))
        .containsExactly(ProviderJars.expected("abc"));
    assertThat(with.err()).contains("batchwise report (tiny/tiny-v1)");
  }

  @Test
  @DisplayName(
      "the class-data archive the launcher trains holds the classes a cached rerun with the local model loads")
  void classDataArchiveCoversACachedRerun() throws Exception {
    Files.writeString(work.resolve("small.txt"), "first line\nsecond line\n");
    String[] embed = {
      "embed",
      "--in",
      "small.txt",
      "--out",
      "v.jsonl",
      "-q",
      "--cache",
      "sqlite",
      "--cache-path",
      "c.db",
      "--report",
      "report.json"
    };
    // trains the archive if this JDK has none for this build yet, and fills the cache
    ProcessRun first = batchwise("", embed);
    assertThat(first.code()).as(first.toString()).isZero();

    Path log = work.resolve("classes.log");
    ProcessRun rerun = batchwise(Map.of("JAVA_OPTS", "-Xlog:class+load:file=" + log), "", embed);

    assertThat(rerun.code()).as(rerun.toString()).isZero();
    JsonNode report = JSON.readTree(work.resolve("report.json").toFile());
    assertThat(report.get("cacheHits").asInt()).isEqualTo(2);
    assertThat(report.get("providerCalls").asInt()).isZero();
    // "[0.1s][info][class,load] NAME source: WHERE": the local provider's and the caches' classes
    Map<String, String> sources = new TreeMap<>();
    for (String line : Files.readAllLines(log)) {
      Matcher m = CLASS_LOAD.matcher(line);
      if (m.find()
          && (m.group(1).startsWith("io.batchwise.providers.local.")
              || m.group(1).startsWith("io.batchwise.cache."))) {
        sources.put(m.group(1), m.group(2));
      }
    }
    assertThat(sources)
        .containsKeys(
            "io.batchwise.providers.local.internal.LocalEmbeddingProvider",
            "io.batchwise.cache.sqlite.internal.SqliteByteStore");
    assertThat(sources)
        .as("none read from a jar (a class of the archive's comes from the shared objects file)")
        .allSatisfy((name, source) -> assertThat(source).doesNotStartWith("file:"));
    assertThat(sources.get("io.batchwise.providers.local.internal.LocalEmbeddingProvider"))
        .startsWith("shared objects file");
  }
}
