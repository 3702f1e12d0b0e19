package io.batchwise.examples.cli;

import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.Embedding;
import io.batchwise.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Embeds a job's texts so that a command can show progress and write results as they come, in input
 * order: identical texts are embedded once (across the whole job, not just within one call), the
 * distinct texts go to the embedder in chunks with two chunks in flight (so the provider never idles
 * while results are written), and each input's outcome is handed to the sink in input order. Each
 * chunk is an embed of its own, but all draw on the instance's limits ({@code concurrency},
 * {@code requests-per-minute}, {@code tokens-per-minute}), so two chunks in flight never exceed them;
 * {@code job-timeout} bounds each chunk.
 */
final class ChunkedEmbedding {
  /** Receives each input's outcome, in input order. */
  interface Sink {
    /**
     * Takes one outcome.
     *
     * @param index the input's position
     * @param embedding its outcome (for a repeated text, the outcome of its first occurrence)
     * @throws IOException when writing it fails
     */
    void accept(int index, Embedding embedding) throws IOException;
  }

  private static final int MIN_CHUNK = 64;
  private static final int MAX_CHUNK = 4096;
  private static final int CHUNKS_IN_FLIGHT = 2;

  private ChunkedEmbedding() {}

  /**
   * Runs the job.
   *
   * @param embedder the embedder
   * @param texts the inputs
   * @param progress advanced once per input handed to the sink
   * @param sink receives the outcomes in input order
   * @return the usage summed over every call, with {@code inputs} = all inputs and
   *     {@code uniqueInputs} = distinct texts
   * @throws IOException when the sink fails
   */
  static Usage run(Embedder embedder, List<String> texts, ProgressDisplay progress, Sink sink) throws IOException {
    Map<String, Integer> idOf = new HashMap<>();
    List<String> unique = new ArrayList<>();
    int[] uniqueOf = new int[texts.size()];
    List<Integer> occurrences = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      Integer u = idOf.putIfAbsent(texts.get(i), unique.size());
      if (u == null) {
        u = unique.size();
        unique.add(texts.get(i));
        occurrences.add(0);
      }
      uniqueOf[i] = u;
      occurrences.set(u, occurrences.get(u) + 1);
    }
    int chunk = chunkSize(unique.size(), embedder.modelInfo().maxInputsPerCall());
    Deque<CompletableFuture<EmbedResult>> inFlight = new ArrayDeque<>();
    int submitted = 0;
    int received = 0;
    Map<Integer, Embedding> available = new HashMap<>();
    Usage usage = Usage.EMPTY;
    for (int i = 0; i < texts.size(); i++) {
      int u = uniqueOf[i];
      while (u >= received) {
        while (inFlight.size() < CHUNKS_IN_FLIGHT && submitted < unique.size()) {
          int end = Math.min(unique.size(), submitted + chunk);
          inFlight.add(embedder.embedAllAsync(unique.subList(submitted, end)));
          submitted = end;
        }
        EmbedResult result = join(inFlight.poll());
        for (Embedding e : result.embeddings()) {
          available.put(received + (int) e.index(), e);
        }
        received += result.embeddings().size();
        usage = usage.plus(result.usage());
      }
      Embedding e = available.get(u);
      int left = occurrences.get(u) - 1;
      occurrences.set(u, left);
      if (left == 0) {
        available.remove(u);
      }
      sink.accept(i, e);
      progress.step(1);
    }
    return new Usage(texts.size(), unique.size(), usage.cacheHits(), usage.providerCalls(), usage.retries(),
        usage.tokens(), usage.truncated(), usage.failed(), Duration.ZERO);
  }

  /** About 20 progress steps, within [64, 4096], and at least two full provider calls per chunk. */
  static int chunkSize(int unique, int maxInputsPerCall) {
    int target = Math.max(MIN_CHUNK, (unique + 19) / 20);
    int floor = Math.min(MAX_CHUNK, 2 * maxInputsPerCall);
    return Math.min(MAX_CHUNK, Math.max(target, floor));
  }

  private static EmbedResult join(CompletableFuture<EmbedResult> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new CliException(ExitCodes.FAILURE, "embedding stopped: " + cause.getMessage(), cause);
    }
  }
}
