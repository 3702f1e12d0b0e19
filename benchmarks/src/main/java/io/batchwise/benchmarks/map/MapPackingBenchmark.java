package io.batchwise.benchmarks.map;

import io.batchwise.Batchwise;
import io.batchwise.benchmarks.harness.Comparison;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Target;
import io.batchwise.map.MapResult;
import io.batchwise.scheduler.JobOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The mapper's packing against one request per item, both through {@code bw.mapper()} on one
 * OpenAI-compatible chat server on loopback with injected latency ({@link LatencyChatServer}), at
 * the same concurrency, on items never seen before (no cache): how many requests each sends and how
 * long it takes, with every answer checked against the server's answer for its item (equal answers)
 * and the requests the mapper reports checked against those the server counted. The packed
 * contender runs with the mapper's default packing; the baseline sets {@code
 * openai.chat.items-per-request=1}. The target: packed sends at least 3× fewer requests.
 *
 * <p>Run: {@code java -cp benchmarks.jar io.batchwise.benchmarks.map.MapPackingBenchmark
 * [--quick]}.
 */
public final class MapPackingBenchmark implements MacroBenchmark {
  /** The injected latency of every request. */
  static final long LATENCY_MILLIS = 40;

  /** The target: packed sends at least this many times fewer requests than one per item. */
  static final double TARGET_FEWER_REQUESTS = 3;

  static final String INSTRUCTION = "Say whether the text is short, medium or long.";
  static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"size\":{\"enum\":[\"short\","
          + "\"medium\",\"long\"]}},\"required\":[\"size\"],\"additionalProperties\":false}";

  private final AtomicInteger round = new AtomicInteger();

  /** Creates the benchmark. */
  public MapPackingBenchmark() {}

  @Override
  public String title() {
    return "Batch prompts: items packed per request against one request per item, "
        + LATENCY_MILLIS
        + " ms per request";
  }

  /**
   * Runs the benchmark and prints its Markdown.
   *
   * @param args {@code --quick} for the small version
   * @throws Exception when a round fails
   */
  public static void main(String[] args) throws Exception {
    System.out.println(new MapPackingBenchmark().run(List.of(args).contains("--quick")));
  }

  @Override
  public String run(boolean quick) throws Exception {
    int n = quick ? 120 : 1000;
    // the request counts do not depend on the machine; the rounds are for the wall times, and a
    // one-request-per-item round of the full size takes 1000 / concurrency × the latency
    int rounds = quick ? 3 : 7;
    int concurrency = JobOptions.defaultConcurrency(JobOptions.DEFAULT_AGENTS_PER_CORE);
    StringBuilder md = new StringBuilder("## ").append(title()).append("\n\n");
    try (LatencyChatServer server = new LatencyChatServer(LATENCY_MILLIS);
        Batchwise single = open(server, concurrency, true);
        Batchwise packed = open(server, concurrency, false)) {
      Tally singleTally = new Tally();
      Tally packedTally = new Tally();
      AtomicReference<List<String>> fresh = new AtomicReference<>();
      Comparison.Result r =
          Comparison.of(n + " items", n)
              .beforeEachRound(() -> fresh.set(items(n)))
              .baseline(
                  "one request per item", () -> round(server, singleTally, single, fresh.get()))
              .candidate(
                  "packed (the mapper's default)",
                  () -> round(server, packedTally, packed, fresh.get()))
              .run(1, rounds);
      md.append(r.toMarkdown("items")).append('\n');
      md.append(
              "| mode | most requests in a round | most items in a request | retries | median s | items/s |\n")
          .append("|---|---:|---:|---:|---:|---:|\n");
      String[] names = {r.baseline(), r.measurements().get(1).name()};
      Tally[] tallies = {singleTally, packedTally};
      for (int i = 0; i < 2; i++) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d | %.3f | %.1f |%n",
                names[i],
                tallies[i].requests,
                tallies[i].largestRequest,
                tallies[i].retries,
                r.get(names[i]).medianSeconds(),
                r.get(names[i]).unitsPerSecond()));
      }
      double fewer = (double) singleTally.requests / packedTally.requests;
      md.append('\n')
          .append(
              String.format(
                  Locale.ROOT,
                  "- Same mapper, same server, same concurrency (%d), every round on %d items never seen before (no cache);"
                      + " every answer is checked against the server's answer for its item (equal answers) and the"
                      + " requests the mapper reports against those the server counted. Packed sends %.1f× fewer"
                      + " requests and takes %.2f× less time: a request carrying up to %d items pays its fixed costs"
                      + " (the instruction, the latency) once for them. The request counts are the most of any round,"
                      + " the warm-up included: in the first round the mapper has seen no answer yet and predicts its"
                      + " default answer tokens per item, so fewer items fit a request's output limit. %d measured"
                      + " rounds after one warm-up, interleaved. Reproduce: `java -cp <benchmarks classpath>"
                      + " io.batchwise.benchmarks.map.MapPackingBenchmark%s`%n",
                  concurrency,
                  n,
                  fewer,
                  r.ratio(names[1]),
                  packedTally.largestRequest,
                  rounds,
                  quick ? " --quick" : ""));
      md.append('\n')
          .append(
              Target.table(
                  List.of(
                      Target.atLeast(
                          "packed: fewer requests than one per item, at equal answers",
                          fewer,
                          TARGET_FEWER_REQUESTS,
                          "×"))));
    }
    return md.toString();
  }

  /**
   * A mapper on the server.
   *
   * @param oneItemPerRequest true for the baseline ({@code items-per-request=1}), false for the
   *     mapper's default packing
   */
  static Batchwise open(LatencyChatServer server, int concurrency, boolean oneItemPerRequest) {
    Batchwise.Builder b =
        Batchwise.builder()
            .sources(new Properties(), Map.of())
            .option(
                "mapper",
                "openai") // chosen by id, so that the openai.* server options count for it
            .option("openai.base-url", server.baseUrl())
            .option("openai.chat.model", "bench-chat")
            // a model the mapper does not know: it must be told its window
            .option("openai.chat.context-window", "32768")
            .concurrency(concurrency);
    if (oneItemPerRequest) {
      b.option("openai.chat.items-per-request", "1");
    }
    return b.build();
  }

  /** What one contender's measured and warm-up rounds sent: the most in any one round. */
  static final class Tally {
    int requests;
    int largestRequest;
    long retries;
  }

  /**
   * Maps the items, checks every answer and the request count, and records the round in the tally.
   *
   * @return the answers
   * @throws IllegalStateException when an answer is not the server's answer for its item, or the
   *     mapper's count of requests is not the server's
   */
  static List<String> round(
      LatencyChatServer server, Tally tally, Batchwise bw, List<String> items) {
    server.resetCounts();
    MapResult result = bw.mapper().mapAll(items, INSTRUCTION, SCHEMA);
    List<String> answers = result.answers();
    for (int i = 0; i < items.size(); i++) {
      if (!answers.get(i).equals(LatencyChatServer.answer(items.get(i)))) {
        throw new IllegalStateException(
            "item "
                + i
                + " was answered "
                + answers.get(i)
                + ", not "
                + LatencyChatServer.answer(items.get(i)));
      }
    }
    if (result.usage().calls() != server.requests()) {
      throw new IllegalStateException(
          "the mapper reports "
              + result.usage().calls()
              + " requests; the server answered "
              + server.requests());
    }
    tally.requests = Math.max(tally.requests, server.requests());
    tally.largestRequest = Math.max(tally.largestRequest, server.largestRequest());
    tally.retries = Math.max(tally.retries, result.usage().retries());
    return answers;
  }

  /**
   * Fresh items for one round: sentences of 3 to 52 words, never seen in an earlier round.
   *
   * @param count how many
   * @return the items
   */
  List<String> items(int count) {
    int r = round.incrementAndGet();
    SplittableRandom random = new SplittableRandom(r);
    List<String> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder b =
          new StringBuilder("Round ").append(r).append(", item ").append(i).append(':');
      int words = 3 + random.nextInt(50);
      for (int w = 0; w < words; w++) {
        b.append(" word").append(random.nextInt(1000));
      }
      items.add(b.toString());
    }
    return items;
  }
}
