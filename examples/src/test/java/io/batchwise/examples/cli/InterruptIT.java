package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.testing.Await;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on the packaged command line ({@code java -jar target/batchwise-examples-*.jar}, as {@link
 * PackagedJarIT} runs it), sent as a real SIGINT with {@code kill -s INT}: at any moment of loading
 * the local model it exits 130, never with a JVM crash (exit 134 and an {@code hs_err_pid*.log} in
 * the working directory, which ONNX Runtime's own shutdown hook caused when it released the native
 * environment under a session being created); and a run interrupted after some provider calls keeps
 * every answered call in its SQLite cache, so that the rerun sends only the rest.
 */
class InterruptIT {
  private static final Duration BOUND = Duration.ofSeconds(120);

  /** ONNX Runtime's session class: it loads right before the native session is created. */
  private static final String SESSION_CLASS = "ai.onnxruntime.OrtSession";

  /**
   * Where each SIGINT of the model-loading test is sent: when a class of a phase of loading is
   * loaded (the command, the model file, the tokenizer), and at spread offsets (ms) after the
   * session class, over the session's creation, which takes a few hundred milliseconds.
   */
  private static final List<Signal> SIGNALS =
      List.of(
          new Signal("io.batchwise.examples.cli.EmbedCommand", 0),
          new Signal("io.batchwise.providers.local.internal.ModelFile", 0),
          new Signal("ai.djl.huggingface.tokenizers.HuggingFaceTokenizer", 0),
          new Signal(SESSION_CLASS, 0),
          new Signal(SESSION_CLASS, 10),
          new Signal(SESSION_CLASS, 20),
          new Signal(SESSION_CLASS, 40),
          new Signal(SESSION_CLASS, 60),
          new Signal(SESSION_CLASS, 90),
          new Signal(SESSION_CLASS, 130));

  /**
   * Signals that must reach a process still loading; the rest may find it done on a fast machine.
   */
  private static final int MIN_DELIVERED = 8;

  /** A SIGINT sent {@code delayMillis} after {@code className} is loaded. */
  private record Signal(String className, long delayMillis) {
    @Override
    public String toString() {
      return delayMillis
          + " ms after "
          + className.substring(className.lastIndexOf('.') + 1)
          + " loaded";
    }
  }

  /** What one run did: whether the signal reached it while it ran, and its exit code. */
  private record Outcome(Signal signal, boolean delivered, int exitCode) {}

  private static Path jar;

  @TempDir Path dir;

  @BeforeAll
  static void findJar() throws IOException {
    jar = PackagedJar.find();
  }

  /**
   * The command, with SIGINT at its default disposition: a process started in the background by a
   * non-interactive shell inherits SIGINT ignored, and a JVM that starts with it ignored never sees
   * Ctrl-C; GNU env resets it where it is available.
   */
  private static List<String> command(String... jvmAndArgs) {
    List<String> command = new ArrayList<>();
    if (new File("/usr/bin/env").canExecute() && envResetsSignals()) {
      command.addAll(List.of("/usr/bin/env", "--default-signal=INT"));
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of(jvmAndArgs));
    return command;
  }

  private static boolean envResetsSignals() {
    try {
      Process p =
          new ProcessBuilder("/usr/bin/env", "--default-signal=INT", "true")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Sends SIGINT, as Ctrl-C does; false when the process was gone already. */
  private static boolean interrupt(Process p) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("/bin/kill", "-s", "INT", Long.toString(p.pid()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return kill.exitValue() == 0;
  }

  private static List<Path> crashReports(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).toList();
    }
  }

  @Test
  @DisplayName(
      "ten SIGINTs spread over loading the local model: each exits 130, no crash report, no output")
  void ctrlCWhileTheModelLoads() throws Exception {
    Path work = Files.createDirectory(dir.resolve("work"));
    Files.writeString(work.resolve("in.txt"), "one text to embed\n");
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < SIGNALS.size(); i++) {
      outcomes.add(runAndInterrupt(work, SIGNALS.get(i), i));
    }
    // exit 134 is the native crash this guards against; 0 is a run that finished before its signal
    // (a fast machine)
    assertThat(outcomes)
        .as("exit codes")
        .allSatisfy(
            o ->
                assertThat(o.exitCode())
                    .as(o.toString())
                    .isIn(
                        ExitCodes.INTERRUPTED,
                        o.delivered() ? ExitCodes.INTERRUPTED : ExitCodes.OK));
    assertThat(outcomes.stream().filter(o -> o.exitCode() == ExitCodes.INTERRUPTED).count())
        .as("runs the signal stopped while loading: %s", outcomes)
        .isGreaterThanOrEqualTo(MIN_DELIVERED);
    assertThat(crashReports(work)).as("JVM crash reports in the working directory").isEmpty();
    try (Stream<Path> files = Files.list(work)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no output, no temporary file")
          .containsExactly("in.txt");
    }
  }

  /** Runs a one-text embed with the local model and sends it the signal. */
  private Outcome runAndInterrupt(Path work, Signal signal, int run) throws Exception {
    // the class-loading log on stdout says when each phase begins; stdout is otherwise empty
    Path err = dir.resolve("run-" + run + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(
                command(
                    "-Xlog:class+load=info",
                    "--enable-native-access=ALL-UNNAMED",
                    "-jar",
                    jar.toString(),
                    "embed",
                    "--in",
                    "in.txt",
                    "--out",
                    "out.jsonl",
                    "-q"))
            .directory(work.toFile())
            .redirectError(err.toFile());
    Process p = pb.start();
    CountDownLatch loaded = new CountDownLatch(1);
    String marker = " " + signal.className() + " ";
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  if (line.contains(marker)) {
                    loaded.countDown();
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            });
    reader.start();
    Await.until(
        signal.className() + " loads, or the command ends",
        BOUND,
        () -> loaded.getCount() == 0 || !p.isAlive());
    assertThat(loaded.getCount())
        .as("%s: the class loaded; stderr: %s", signal, Files.readString(err))
        .isZero();
    Thread.sleep(
        signal
            .delayMillis()); // spreads the signals over the session's creation; no outcome depends
    // on it
    boolean delivered = p.isAlive() && interrupt(p);
    assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("%s: ended", signal).isTrue();
    reader.join(BOUND.toMillis());
    assertThat(Files.readString(err))
        .as("%s: stderr", signal)
        .doesNotContain("fatal error")
        .doesNotContain("Exception");
    return new Outcome(signal, delivered, p.exitValue());
  }

  @Test
  @DisplayName(
      "Ctrl-C after three answered calls: exit 130, no output; the rerun gets every answered call from the SQLite cache")
  void ctrlCKeepsEveryAnsweredCall() throws Exception {
    int perCall = 16;
    int answeredBefore = 3;
    List<String> texts =
        IntStream.range(0, 16 * perCall).mapToObj(i -> "text to resume " + i).toList();
    Path in = Files.write(dir.resolve("in.txt"), texts);
    Path out = dir.resolve("out.jsonl");
    Path cache = dir.resolve("cache.db");
    try (FakeOpenAi openai = new FakeOpenAi(6)) {
      List<String> options =
          List.of(
              "--provider",
              "openai",
              "--base-url",
              openai.baseUrl(),
              "--model",
              "my-embedder",
              "--dimensions",
              "6",
              "-o",
              "openai.api-key=sk-test",
              "-o",
              "openai.max-inputs-per-request=" + perCall,
              "-o",
              "stream-window=" + 4 * perCall,
              "--concurrency",
              "1",
              "--cache",
              "sqlite",
              "--cache-path",
              cache.toString());
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--enable-native-access=ALL-UNNAMED",
                  "-jar",
                  jar.toString(),
                  "embed",
                  "--in",
                  in.toString(),
                  "--out",
                  out.toString(),
                  "-q"));
      args.addAll(options);
      openai.holdFrom = answeredBefore + 1;
      Process p =
          new ProcessBuilder(command(args.toArray(String[]::new)))
              .directory(dir.toFile())
              .redirectOutput(dir.resolve("run.out").toFile())
              .redirectError(dir.resolve("run.err").toFile())
              .start();
      Await.until(
          "request " + (answeredBefore + 1) + " arrives, the ones before it answered",
          BOUND,
          () -> openai.arrived.get() > answeredBefore || !p.isAlive());
      assertThat(openai.requests.get())
          .as("answered before the interrupt; stderr: %s", read("run.err"))
          .isEqualTo(answeredBefore);
      assertThat(interrupt(p)).isTrue();
      openai.release
          .countDown(); // the calls in flight may now be answered: the stop lets them finish
      assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue())
          .as("exit code; stderr: %s", read("run.err"))
          .isEqualTo(ExitCodes.INTERRUPTED);
      assertThat(read("run.err")).contains("batchwise: stopping").doesNotContain("Exception");
      assertThat(out).as("no output from an interrupted run").doesNotExist();
      assertThat(crashReports(dir)).isEmpty();

      Set<String> answered = new HashSet<>();
      openai.received.forEach(answered::addAll);
      assertThat(answered).hasSizeGreaterThanOrEqualTo(answeredBefore * perCall);
      int receivedBefore = openai.received.size();
      Path report = dir.resolve("report.json");
      List<String> rerun =
          new ArrayList<>(
              List.of(
                  "embed",
                  "--in",
                  in.toString(),
                  "--out",
                  out.toString(),
                  "-q",
                  "--report",
                  report.toString()));
      rerun.addAll(options);
      CliRunner.Result r = CliRunner.run(rerun.toArray(String[]::new));
      assertThat(r.code()).as(r.toString()).isZero();
      JsonNode json = new ObjectMapper().readTree(report.toFile());
      assertThat(json.get("cacheHits").asLong())
          .as("inputs answered by the cache on the rerun")
          .isGreaterThanOrEqualTo((long) answeredBefore * perCall)
          .isEqualTo(answered.size());
      List<String> sentAgain = new ArrayList<>();
      openai.received.subList(receivedBefore, openai.received.size()).forEach(sentAgain::addAll);
      assertThat(sentAgain)
          .as("the rerun sends only what was never answered")
          .doesNotContainAnyElementsOf(answered)
          .hasSize(texts.size() - answered.size());
      assertThat(VectorFiles.jsonl(out)).hasSize(texts.size());
    }
  }

  private String read(String name) throws IOException {
    Path file = dir.resolve(name);
    return Files.exists(file) ? Files.readString(file) : "(none)";
  }
}
