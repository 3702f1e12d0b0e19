package io.batchwise.examples.classify;

import io.batchwise.Batchwise;
import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.demo.SampleCorpus;
import io.batchwise.map.MapResult;
import io.batchwise.map.MapUsage;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Labels the sample corpus's 270 paragraphs by topic with {@code bw.mapper()}: one instruction, an
 * answer schema whose {@code enum} is the 18 topics, several paragraphs per request, each answer
 * checked against the schema and mapped back to its paragraph by id. The model is {@link
 * LoopbackChatServer}, a small deterministic OpenAI-compatible server on loopback (point {@code
 * openai.base-url} at a real one to use a real model). It runs twice: the second run is answered by
 * the cache. It prints a few answers, how many paragraphs got their own topic, and the usage of
 * both runs.
 *
 * <pre>
 * ./batchwise example classify
 * </pre>
 */
public final class Classify implements ExampleApp {
  /** What the model is asked for each paragraph. */
  static final String INSTRUCTION = "Label the paragraph with the one topic it is about.";

  /**
   * Runs the example.
   *
   * @param args none
   * @throws Exception when it fails
   */
  public static void main(String[] args) throws Exception {
    System.exit(new Classify().run(List.of(args), System.out, System.err));
  }

  @Override
  public String name() {
    return "classify";
  }

  @Override
  public String summary() {
    return "label the sample corpus by topic through a chat model (a loopback server): packed, checked, cached";
  }

  /**
   * The answers' schema: an object with a {@code topic} that is one of the corpus's topics.
   *
   * @param topics the topics
   * @return the schema as JSON text
   */
  static String schema(List<String> topics) {
    return "{\"type\":\"object\",\"properties\":{\"topic\":{\"enum\":["
        + topics.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","))
        + "]}},"
        + "\"required\":[\"topic\"],\"additionalProperties\":false}";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    List<SampleCorpus.Paragraph> paragraphs = SampleCorpus.paragraphs();
    List<String> texts = paragraphs.stream().map(SampleCorpus.Paragraph::text).toList();
    String schema = schema(SampleCorpus.topics());
    try (LoopbackChatServer server = new LoopbackChatServer();
        Batchwise bw =
            Batchwise.builder()
                .sources(
                    new Properties(),
                    Map.of()) // the example's own settings, whatever the environment says
                .option(
                    "mapper",
                    "openai") // chosen by id, so that the openai.* server options count for it
                .option("openai.base-url", server.baseUrl())
                .option("openai.chat.model", "loopback-classifier")
                .option("openai.chat.context-window", "16384")
                .option("openai.chat.items-per-request", "15")
                .cache("caffeine")
                .build()) {
      MapResult first = bw.mapper().mapAll(texts, INSTRUCTION, schema);
      List<String> answers = first.answers();
      out.println(
          "Topic of each paragraph, by " + bw.mapper().model() + " at " + server.baseUrl() + ":");
      for (int i = 0; i < paragraphs.size(); i += 27) {
        SampleCorpus.Paragraph p = paragraphs.get(i);
        String preview = p.text().length() > 60 ? p.text().substring(0, 60) + "…" : p.text();
        out.printf(Locale.ROOT, "  %-16s %-32s %s%n", p.id(), answers.get(i), preview);
      }
      long right = 0;
      for (int i = 0; i < paragraphs.size(); i++) {
        if (answers.get(i).equals("{\"topic\":\"" + paragraphs.get(i).topic() + "\"}")) {
          right++;
        }
      }
      out.printf(
          Locale.ROOT,
          "%d of %d paragraphs labelled with their own topic (%.0f%%)%n",
          right,
          paragraphs.size(),
          100.0 * right / paragraphs.size());

      MapResult second = bw.mapper().mapAll(texts, INSTRUCTION, schema);
      out.printf(
          Locale.ROOT,
          "second run: %d of %d answered by the cache, %d requests, same answers: %s%n",
          second.usage().cacheHits(),
          second.usage().uniqueItems(),
          second.usage().calls(),
          second.answers().equals(answers));
      err.print(report("first run", first.usage()));
      err.print(report("second run", second.usage()));
      return 0;
    }
  }

  /**
   * A run's usage as report lines.
   *
   * @param title the run's name
   * @param u its usage
   * @return the lines
   */
  static String report(String title, MapUsage u) {
    return String.format(
        Locale.ROOT,
        "%s: %d items, %d unique, %d cache hits, %d requests, %d retries, %d failed,"
            + " %d prompt + %d completion tokens (%d cached), %s, %.2f s%n",
        title,
        u.items(),
        u.uniqueItems(),
        u.cacheHits(),
        u.calls(),
        u.retries(),
        u.failed(),
        u.promptTokens(),
        u.completionTokens(),
        u.cachedTokens(),
        Double.isNaN(u.costUsd())
            ? "cost unknown (no list price for the model)"
            : String.format(Locale.ROOT, "$%.4f", u.costUsd()),
        u.elapsed().toNanos() / 1e9);
  }
}
