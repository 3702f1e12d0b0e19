package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.run;
import static io.batchwise.examples.cli.CliRunner.runWithEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.index.IndexIdentity;
import io.batchwise.index.VectorIndex;
import io.batchwise.testing.Await;
import io.batchwise.testing.RawIndexFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index file is data, never configuration: {@code search} takes only the identity of the vectors
 * from it; where the query goes and how it authenticates come from the user; an embedder of another
 * identity is refused before anything is sent; and no URL's user info is ever written.
 */
class IndexFileIsDataTest {
  private static final int DIMS = 6;
  private static final String KEY = "sk-user-secret-4711";
  private static final List<String> TEXTS =
      List.of("alpha document", "beta document", "gamma document");

  @TempDir Path dir;
  private FakeOpenAi openai;
  private ConnectionCounter listener;

  @BeforeEach
  void start() throws IOException {
    openai = new FakeOpenAi(DIMS);
    listener = new ConnectionCounter();
  }

  @AfterEach
  void stop() throws IOException {
    openai.close();
    listener.close();
  }

  /** A loopback listener that counts the connections made to it and answers none. */
  static final class ConnectionCounter implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger accepted = new AtomicInteger();

    ConnectionCounter() throws IOException {
      Thread acceptor =
          new Thread(
              () -> {
                while (true) {
                  try (Socket s = socket.accept()) {
                    accepted.incrementAndGet();
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "connection-counter");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    /**
     * The connections anyone else made: connects once itself and waits until that is counted, so
     * that every connection made before (queued ahead of it) has been counted too.
     */
    int othersConnections() throws IOException {
      int before = accepted.get();
      try (Socket sentinel = new Socket(InetAddress.getLoopbackAddress(), socket.getLocalPort())) {
        Await.until(
            "the sentinel connection is accepted",
            Duration.ofSeconds(30),
            () -> accepted.get() > before);
      }
      return accepted.decrementAndGet();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static float[] unit(float[] v) {
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }
    float[] u = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      u[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return u;
  }

  /**
   * An index of the fake server's vectors, written by hand as a crafted or shared file would be:
   * its identity, then properties that would send the query, and the key, to the listener.
   */
  private Path craftedIndex() throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("embedder.provider", "openai");
    props.put("embedder.model", "my-embedder");
    props.put("embedder.dimensions", Integer.toString(DIMS));
    props.put("embedder.normalized", "false");
    props.put("option.openai.base-url", listener.baseUrl());
    props.put("option.openai.allow-insecure-http", "true");
    props.put(
        "option.openai.dimensions", Integer.toString(DIMS)); // as older command lines wrote it
    props.put("embedder.base-url", listener.baseUrl()); // the allowlist is exact, not a prefix
    List<float[]> vectors = new ArrayList<>();
    List<Map<String, String>> metadata = new ArrayList<>();
    for (String t : TEXTS) {
      vectors.add(unit(FakeOpenAi.vectorOf(t, DIMS)));
      metadata.add(Map.of(IndexCommand.META_TEXT, t));
    }
    Path file = dir.resolve("crafted.bwi");
    RawIndexFile.write(file, DIMS, props, List.of("a", "b", "c"), metadata, vectors);
    return file;
  }

  private void assertTheQueryWentToTheUsersServerWithTheKey(int requestsBefore)
      throws InterruptedException {
    assertThat(openai.requests.get()).isEqualTo(requestsBefore + 1);
    RecordedRequest request = openai.server.takeRequest();
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(request.getBody().utf8()).contains("\"beta document\"").contains("my-embedder");
  }

  @Test
  @DisplayName(
      "a crafted index naming a listener as base URL: search sends nothing there; the user's server answers")
  void aCraftedIndexCannotRedirectTheQueryOrTheKey() throws Exception {
    Path index = craftedIndex();

    // the user's endpoint from the environment: the file's base URL and allow-insecure-http are
    // ignored
    CliRunner.Result r =
        runWithEnvironment(
            Map.of("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", openai.baseUrl()),
            "search",
            "--index",
            index.toString(),
            "--k",
            "1",
            "beta",
            "document");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().lines().findFirst()).hasValue(" 1. 1.0000  b");
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith("batchwise search: warning: " + index + ": ignored 4 properties")
        .contains(
            "option.openai.base-url", "option.openai.allow-insecure-http", "embedder.base-url")
        .doesNotContain(listener.baseUrl());
    assertTheQueryWentToTheUsersServerWithTheKey(0);

    // the same search with the user's endpoint given as --base-url
    r =
        runWithEnvironment(
            Map.of("OPENAI_API_KEY", KEY),
            "search",
            "--index",
            index.toString(),
            "--base-url",
            openai.baseUrl(),
            "--k",
            "1",
            "beta",
            "document");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().lines().findFirst()).hasValue(" 1. 1.0000  b");
    assertTheQueryWentToTheUsersServerWithTheKey(1);

    assertThat(listener.othersConnections()).as("connections to the index's base URL").isZero();
  }

  @Test
  @DisplayName(
      "an embedder of another model or dimensions: exit 2, one line naming both, nothing sent")
  void anotherIdentityIsRefusedBeforeAnythingIsSent() throws IOException {
    Path index = craftedIndex();
    CliRunner.Result r =
        runWithEnvironment(
            Map.of("OPENAI_API_KEY", KEY),
            "search",
            "--index",
            index.toString(),
            "--base-url",
            openai.baseUrl(),
            "--model",
            "other-model",
            "beta");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .hasSize(2); // the warning about the crafted properties, then the refusal
    assertThat(r.errLines().get(1))
        .isEqualTo(
            "batchwise search: "
                + index
                + " holds vectors of openai/my-embedder"
                + " (6 dims, unnormalized), but the configured embedder makes openai/other-model (6 dims, unnormalized):"
                + " vectors of different models cannot be compared (configure the index's embedder with --provider,"
                + " --model, --dimensions or -o)");

    // the user's own setting wins over the index's default, and is then checked like a flag
    Path hashed = dir.resolve("hashed.bwi");
    Path doc =
        Files.writeString(dir.resolve("doc.txt"), "a small document about volcanoes and lava");
    assertThat(
            run(
                    "index",
                    "--in",
                    doc.toString(),
                    "--out",
                    hashed.toString(),
                    "--provider",
                    "hashing",
                    "--dimensions",
                    "64",
                    "-q")
                .code())
        .isZero();
    r =
        runWithEnvironment(
            Map.of("BATCHWISE_HASHING_DIMENSIONS", "32"),
            "search",
            "--index",
            hashed.toString(),
            "lava");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("holds vectors of hashing/hashing-v1 (64 dims, normalized)")
        .contains("makes hashing/hashing-v1 (32 dims, normalized)");
    r = runWithEnvironment(Map.of(), "search", "--index", hashed.toString(), "lava");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(openai.requests.get()).isZero();
    assertThat(listener.othersConnections()).isZero();
  }

  @Test
  @DisplayName(
      "a model id from the index that the provider cannot load by name: exit 2, naming the index")
  void aModelTheProviderCannotLoadByName() throws IOException {
    Path index = dir.resolve("m.bwi");
    RawIndexFile.write(
        index,
        16,
        Map.of("embedder.provider", "hashing", "embedder.model", "hashing-v1+custom"),
        List.of("a"),
        List.of(Map.of()),
        List.of(unit(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})));
    CliRunner.Result r =
        runWithEnvironment(Map.of(), "search", "--index", index.toString(), "lava");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("'hashing-v1+custom'")
        .endsWith(
            "(the model 'hashing-v1+custom' is the one "
                + index
                + " was built with; name it as the provider"
                + " loads it with --model or -o)");
  }

  @Test
  @DisplayName(
      "an index written before identities were complete (option.* properties) still answers, with one warning")
  void anOlderIndexStillAnswers() throws IOException {
    Path index = dir.resolve("old.bwi");
    Path doc =
        Files.writeString(dir.resolve("doc.txt"), "a small document about volcanoes and lava");
    assertThat(
            run(
                    "index",
                    "--in",
                    doc.toString(),
                    "--out",
                    index.toString(),
                    "--provider",
                    "hashing",
                    "--dimensions",
                    "48",
                    "-q")
                .code())
        .isZero();
    VectorIndex built = VectorIndex.load(index);
    // the same entries with the properties an older command line wrote
    RawIndexFile.write(
        index,
        48,
        Map.of(
            "embedder.provider",
            "hashing",
            "embedder.model",
            "hashing-v1",
            "option.hashing.dimensions",
            "48"),
        built.ids(),
        built.ids().stream().map(i -> built.metadata(i).orElseThrow()).toList(),
        built.ids().stream().map(i -> built.vector(i).orElseThrow()).toList());
    CliRunner.Result r =
        runWithEnvironment(Map.of(), "search", "--index", index.toString(), "lava");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith(" 1. ");
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains(
            "ignored 1 property that is not part of the vectors'"
                + " identity (option.hashing.dimensions)");
  }

  @Test
  @DisplayName(
      "an index records its vectors' identity and nothing else: no endpoint, option or limit")
  void indexRecordsOnlyTheIdentity() throws IOException {
    Path index = dir.resolve("i.bwi");
    Path doc = Files.writeString(dir.resolve("doc.txt"), "beta document");
    CliRunner.Result r =
        run(
            "index",
            "--in",
            doc.toString(),
            "--out",
            index.toString(),
            "--provider",
            "openai",
            "--base-url",
            openai.baseUrl(),
            "--model",
            "my-embedder",
            "--dimensions",
            Integer.toString(DIMS),
            "-o",
            "openai.api-key=" + KEY,
            "-o",
            "openai.organization=org-42",
            "-o",
            "max-attempts=6",
            "-o",
            "openai.allow-insecure-http=true",
            "--concurrency",
            "3",
            "-q");
    assertThat(r.code()).as(r.toString()).isZero();
    // the identity: the model and its (here empty) query and document prefixes, an index's own
    // settings
    assertThat(RawIndexFile.properties(index))
        .containsExactly(
            Map.entry("embedder.provider", "openai"),
            Map.entry("embedder.model", "my-embedder"),
            Map.entry("embedder.dimensions", "6"),
            Map.entry("embedder.document-prefix", ""),
            Map.entry("embedder.normalized", "false"),
            Map.entry("embedder.query-prefix", ""));
    assertThat(VectorIndex.load(index).identity().map(IndexIdentity::toString))
        .hasValue("openai/my-embedder (6 dims, unnormalized)");
  }

  /**
   * A command's arguments followed by the options that embed with the fake server at {@code
   * baseUrl}.
   */
  private static String[] withOpenAi(String baseUrl, String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(
        List.of(
            "--provider",
            "openai",
            "--base-url",
            baseUrl,
            "--model",
            "my-embedder",
            "--dimensions",
            Integer.toString(DIMS),
            "-o",
            "openai.api-key=" + KEY));
    return args.toArray(String[]::new);
  }

  @Test
  @DisplayName(
      "a base URL with user info is in no file or report the command writes, nor in its output")
  void userInfoIsNeverWritten() throws IOException {
    String withUserInfo = openai.baseUrl().replace("http://", "http://alice:pa55word@");
    Path doc = Files.writeString(dir.resolve("doc.txt"), "beta document");
    Path index = dir.resolve("u.bwi");
    Path indexReport = dir.resolve("index-report.json");
    CliRunner.Result indexRun =
        run(
            withOpenAi(
                withUserInfo,
                "index",
                "--in",
                doc.toString(),
                "--out",
                index.toString(),
                "--report",
                indexReport.toString()));
    assertThat(indexRun.code()).as(indexRun.toString()).isZero();
    Path out = dir.resolve("v.jsonl");
    Path embedReport = dir.resolve("embed-report.json");
    CliRunner.Result embedRun =
        run(
            withOpenAi(
                withUserInfo,
                "embed",
                "--in",
                doc.toString(),
                "--out",
                out.toString(),
                "--report",
                embedReport.toString()));
    assertThat(embedRun.code()).as(embedRun.toString()).isZero();
    CliRunner.Result searchRun =
        runWithEnvironment(
            Map.of("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", withUserInfo),
            "search",
            "--index",
            index.toString(),
            "beta");
    assertThat(searchRun.code()).as(searchRun.toString()).isZero();
    assertThat(openai.requests.get()).isEqualTo(3);
    for (Path written : List.of(index, indexReport, out, embedReport)) {
      String bytes = new String(Files.readAllBytes(written), StandardCharsets.ISO_8859_1);
      assertThat(bytes)
          .as(written.toString())
          .doesNotContain("pa55word")
          .doesNotContain("alice")
          .doesNotContain(KEY);
    }
    for (CliRunner.Result r : List.of(indexRun, embedRun, searchRun)) {
      assertThat(r.out() + r.err()).doesNotContain("pa55word").doesNotContain(KEY);
    }
  }
}
