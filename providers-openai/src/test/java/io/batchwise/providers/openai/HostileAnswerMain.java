package io.batchwise.providers.openai;

import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Run in a forked JVM with a 256 MB heap by {@link HostileAnswerMemoryTest}: sends one call per
 * case to a {@link StreamingGzipServer} whose 200 answers inflate past 2 GB (or hold more vectors
 * than the heap) and prints one line per case: {@code case=NAME outcome=FAILED|SUCCEEDED|TIMEOUT
 * retryable=… message=…}. Ends with a normal call and {@code alive} to show the JVM is still well.
 */
public final class HostileAnswerMain {
  /** What each hostile answer inflates to if the client read it all: past 2 GB. */
  static final long INFLATED = 2_500_000_000L;

  /**
   * How long a case may take before it counts as hanging; the calls' own timeout is longer still,
   * so that on a busy machine a slow case is never mistaken for one the client gave up on.
   */
  static final long CASE_SECONDS = 120;

  /** The core {@code call-timeout} of every case's provider, well past {@link #CASE_SECONDS}. */
  static final String CALL_TIMEOUT = "10m";

  /** Inputs and dimensions of the case whose well-formed answer cannot fit in the heap. */
  static final int HUGE_INPUTS = 1024;

  static final int HUGE_DIMENSIONS = 65_536;

  private HostileAnswerMain() {}

  /**
   * Runs every case.
   *
   * @param args ignored
   * @throws Exception when the server cannot start
   */
  public static void main(String[] args) throws Exception {
    try (StreamingGzipServer server = new StreamingGzipServer()) {
      String prefix = "{\"data\":[{\"index\":0,\"embedding\":";
      run("numbers", server.answer("numbers", out -> repeat(out, prefix + "[", "0,")), 1, 8);
      run("spaces", server.answer("spaces", out -> repeat(out, prefix + "[", " ")), 1, 8);
      run(
          "items",
          server.answer(
              "items",
              out -> repeat(out, "{\"data\":[", "{\"embedding\":\"" + "A".repeat(43) + "=\"},")),
          1,
          8);
      run("string", server.answer("string", out -> repeat(out, prefix + "\"", "AAAA")), 1, 8);
      run(
          "heap",
          server.answer("heap", HostileAnswerMain::tooManyVectorsForTheHeap),
          HUGE_INPUTS,
          HUGE_DIMENSIONS);
      run(
          "ok",
          server.answer(
              "ok",
              out ->
                  out.write(
                      ("{\"data\":[{\"index\":0,\"embedding\":\""
                              + FakeOpenAiServer.base64(new float[8])
                              + "\"}]}")
                          .getBytes(StandardCharsets.US_ASCII))),
          1,
          8);
      System.out.println("alive generated=" + server.written());
    }
  }

  private static void run(String name, String baseUrl, int inputs, int dimensions) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      texts.add("t" + i);
    }
    long start = System.nanoTime();
    String line;
    try (RemoteEmbeddingProvider provider =
        TestProviders.create(
            TestProviders.options(
                baseUrl,
                "openai.model",
                "hostile-test-model",
                "openai.dimensions",
                String.valueOf(dimensions),
                "call-timeout",
                CALL_TIMEOUT))) {
      CompletableFuture<List<float[]>> call =
          provider.embed(texts, CallContext.of(InputType.DOCUMENT));
      try {
        List<float[]> vectors = call.get(CASE_SECONDS, TimeUnit.SECONDS);
        line = "outcome=SUCCEEDED vectors=" + vectors.size();
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        line =
            "outcome=FAILED retryable="
                + (c instanceof CallFailedException f ? f.isRetryable() : "unclassified")
                + " message="
                + oneLine(c.getMessage());
      } catch (TimeoutException e) {
        line = "outcome=TIMEOUT";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        line = "outcome=INTERRUPTED";
      }
    }
    System.out.println(
        "case=" + name + " millis=" + (System.nanoTime() - start) / 1_000_000 + " " + line);
  }

  private static String oneLine(String s) {
    return String.valueOf(s).replace('\n', ' ');
  }

  /** Writes {@code head}, then {@code unit} until {@link #INFLATED} bytes, then ends the JSON. */
  private static void repeat(OutputStream out, String head, String unit) throws IOException {
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    byte[] u = unit.getBytes(StandardCharsets.US_ASCII);
    byte[] block = new byte[(1 << 16) / u.length * u.length];
    for (int i = 0; i < block.length; i++) {
      block[i] = u[i % u.length];
    }
    for (long sent = head.length(); sent < INFLATED; sent += block.length) {
      out.write(block);
    }
    out.write("0]}]}".getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A well-formed answer whose vectors (1,024 × 65,536 floats, 256 MiB) cannot all fit in a 256 MB
   * heap: decoding it runs out of memory on the HTTP thread. Everything it writes is made up front,
   * so that the server's own thread allocates nothing while the heap fills.
   */
  private static void tooManyVectorsForTheHeap(OutputStream out) throws IOException {
    byte[] zeros = Base64.getEncoder().encode(new byte[HUGE_DIMENSIONS * Float.BYTES]);
    byte[][] heads = new byte[HUGE_INPUTS][];
    for (int i = 0; i < HUGE_INPUTS; i++) {
      heads[i] =
          ((i == 0 ? "{\"data\":[" : ",") + "{\"index\":" + i + ",\"embedding\":\"")
              .getBytes(StandardCharsets.US_ASCII);
    }
    byte[] quote = "\"}".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < HUGE_INPUTS; i++) {
      out.write(heads[i]);
      out.write(zeros);
      out.write(quote);
    }
    out.write("]}".getBytes(StandardCharsets.US_ASCII));
  }
}
