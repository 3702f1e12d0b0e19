package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchwise.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command line as users run it: {@code java -jar target/batchwise-examples-*.jar} in a
 * separate process, its classpath coming from the manifest's {@code lib/} entries. Also the
 * permission errors, which need a user that permissions apply to: when the build runs as root, the
 * command runs as {@code nobody} through {@code setpriv}.
 *
 * <p>That user may not be able to reach the checkout (a clone inside a directory only its owner can
 * enter, as {@code mktemp -d} makes): it runs a copy of the jar and its {@code lib/} in a fresh
 * directory under the temporary directory that everyone can read, removed after the tests.
 */
class PackagedJarIT {
  private static Path jar;
  private static Path sharedCopy;
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final Set<PosixFilePermission> READABLE_DIR =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> READABLE_FILE =
      PosixFilePermissions.fromString("rw-r--r--");

  @TempDir Path dir;

  @BeforeAll
  static void findJar() throws IOException {
    jar = PackagedJar.find();
  }

  @AfterAll
  static void deleteSharedCopy() throws IOException {
    if (sharedCopy != null) {
      try (Stream<Path> files = Files.walk(sharedCopy)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * The jar, as another user can run it: a copy of it and of {@code lib/} in a new directory under
   * the temporary directory, every directory {@code rwxr-xr-x} and every file {@code rw-r--r--}. A
   * file that others may already read is hard-linked instead of copied where the file system
   * allows.
   */
  private static synchronized Path jarForOtherUsers() throws IOException {
    if (sharedCopy == null) {
      Path root =
          Files.createTempDirectory(
              Path.of(System.getProperty("java.io.tmpdir")), "batchwise-jar-");
      sharedCopy = root;
      Files.setPosixFilePermissions(root, READABLE_DIR);
      Path lib = Files.createDirectory(root.resolve("lib"));
      Files.setPosixFilePermissions(lib, READABLE_DIR);
      share(jar, root.resolve(jar.getFileName()));
      try (Stream<Path> jars = Files.list(jar.resolveSibling("lib"))) {
        for (Path j : jars.toList()) {
          share(j, lib.resolve(j.getFileName()));
        }
      }
    }
    return sharedCopy.resolve(jar.getFileName());
  }

  private static void share(Path from, Path to) throws IOException {
    if (Files.getPosixFilePermissions(from).contains(PosixFilePermission.OTHERS_READ)) {
      try {
        Files.createLink(to, from);
        return;
      } catch (IOException | UnsupportedOperationException e) {
        // another file system, or links not allowed: copy instead
      }
    }
    Files.copy(from, to);
    Files.setPosixFilePermissions(to, READABLE_FILE);
  }

  /** The packaged jar with JVM options and environment variables, "one line" on its stdin. */
  private ProcessRun java(List<String> jvmOptions, Map<String, String> env, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return ProcessRun.of(command, jar.getParent(), env, "one line\n", dir);
  }

  private ProcessRun java(boolean unprivileged, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    Path runJar = jar;
    if (unprivileged && ROOT) {
      // permissions do not apply to root: run as nobody (setpriv is part of util-linux), from a
      // copy that nobody can reach wherever the checkout lives
      command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
      runJar = jarForOtherUsers();
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(runJar.toString());
    command.addAll(List.of(args));
    return ProcessRun.of(command, runJar.getParent(), Map.of(), stdin, dir);
  }

  @Test
  @DisplayName("java -jar runs the command line with its lib/ classpath from the manifest")
  void runsFromTheJar() throws Exception {
    ProcessRun r = java(false, "", "providers");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("hashing").contains("Schedulers");
    assertThat(r.err()).isEmpty();
  }

  @Test
  @DisplayName(
      "warnings go to stderr as LEVEL logger - message; -Dlogback.configurationFile replaces that")
  void logging() throws Exception {
    // an environment variable that names no option: Batchwise warns and goes on
    Map<String, String> env = Map.of("BATCHWISE_NO_SUCH_OPTION", "1");
    String[] embed = {"embed", "--provider", "hashing", "--in", "-", "--out", "-", "-q"};
    ProcessRun builtIn = java(List.of(), env, embed);
    assertThat(builtIn.code()).as(builtIn.toString()).isZero();
    // stdout carries the record only; the warning is on stderr in the command line's layout (the
    // JVM itself may add lines of its own on some JDKs)
    assertThat(builtIn.out().lines()).singleElement().asString().startsWith("{\"id\":0,");
    assertThat(builtIn.err().lines())
        .contains(
            "WARN i.b.Batchwise - ignoring environment variable BATCHWISE_NO_SUCH_OPTION: no"
                + " Batchwise option has that name");

    Path mine =
        Files.writeString(
            dir.resolve("my-logback.xml"),
            """
            <configuration>
              <appender name="E" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>MINE %level %logger - %msg%n</pattern></encoder>
              </appender>
              <root level="WARN"><appender-ref ref="E"/></root>
            </configuration>
            """);
    ProcessRun own = java(List.of("-Dlogback.configurationFile=" + mine), env, embed);
    assertThat(own.code()).as(own.toString()).isZero();
    assertThat(own.err().lines())
        .contains(
            "MINE WARN io.batchwise.Batchwise - ignoring environment variable"
                + " BATCHWISE_NO_SUCH_OPTION: no Batchwise option has that name")
        .noneMatch(line -> line.startsWith("WARN "));
  }

  @Test
  @DisplayName("embed reads stdin and writes JSONL in input order from the packaged jar")
  void embedFromTheJar() throws Exception {
    Path out = dir.resolve("out.jsonl");
    ProcessRun r =
        java(
            false,
            "first\nsecond\nthird\n",
            "embed",
            "--in",
            "-",
            "--out",
            out.toString(),
            "--provider",
            "hashing",
            "--dimensions",
            "16",
            "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records).extracting(n -> n.get("id").asInt()).containsExactly(0, 1, 2);
    assertThat(VectorFiles.vector(records.get(2)))
        .containsExactly(VectorFiles.reference(16, List.of("third")).get(0));
  }

  @Test
  @DisplayName("a run stopped midway (SIGTERM, as Ctrl-C) leaves no output and no temporary file")
  void stoppedMidway() throws Exception {
    Path work = Files.createDirectory(dir.resolve("work"));
    StringBuilder texts = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      texts.append("sentence number ").append(i).append(" about nothing in particular\n");
    }
    Path input = Files.writeString(work.resolve("in.txt"), texts);
    Path out = work.resolve("out.jsonl");
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                jar.toString(),
                "embed",
                "--in",
                input.toString(),
                "--out",
                out.toString(),
                "--quiet")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stopped.log").toFile());
    Process p = pb.start();
    Await.until(
        "the output's temporary file appears or the command ends",
        Duration.ofSeconds(60),
        () -> hasTempFile(work) || !p.isAlive());
    assertThat(hasTempFile(work))
        .as("the output's temporary file exists while the job runs")
        .isTrue();
    p.destroy(); // SIGTERM: shutdown hooks run, as on Ctrl-C
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(hasTempFile(work)).as("temporary file left behind").isFalse();
    assertThat(out).doesNotExist();
  }

  private static boolean hasTempFile(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + dir, e);
    }
  }

  @Test
  @DisplayName("an unreadable directory and an unwritable output: exit 3 and 4, one line each")
  void permissions() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path docs = Files.createDirectory(dir.resolve("docs"));
    Files.writeString(docs.resolve("a.txt"), "text");
    Files.setPosixFilePermissions(docs, PosixFilePermissions.fromString("---------"));
    Path outDir = Files.createDirectory(dir.resolve("readonly"));
    Files.setPosixFilePermissions(outDir, PosixFilePermissions.fromString("r-xr-xr-x"));
    Path input = dir.resolve("in.txt");
    Files.writeString(input, "hello\n");
    Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("rw-r--r--"));
    try {
      ProcessRun r =
          java(
              true,
              "",
              "embed",
              "--in",
              docs.toString(),
              "--out",
              dir.resolve("o.jsonl").toString(),
              "--provider",
              "hashing");
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.INPUT);
      assertThat(r.err().lines().toList())
          .containsExactly(
              "batchwise embed: cannot read directory " + docs + ": permission denied");

      r =
          java(
              true,
              "",
              "embed",
              "--in",
              input.toString(),
              "--out",
              outDir.resolve("o.jsonl").toString(),
              "--provider",
              "hashing");
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OUTPUT);
      assertThat(r.err().lines().toList())
          .containsExactly(
              "batchwise embed: cannot write " + outDir.resolve("o.jsonl") + ": permission denied");
    } finally {
      Files.setPosixFilePermissions(docs, PosixFilePermissions.fromString("rwx------"));
      Files.setPosixFilePermissions(outDir, PosixFilePermissions.fromString("rwx------"));
    }
  }
}
