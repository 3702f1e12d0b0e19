package io.batchwise.examples.agents;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.demo.SampleCorpus;
import io.batchwise.metrics.BatchwiseMetrics;
import io.batchwise.metrics.JobReport;
import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.spi.Tokenizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Documents → token-budgeted batches → concurrent agents, with a progress bar and an end-of-job
 * report.
 *
 * <p>The agent routes each document to a topic: it embeds the batch (one call) and picks, for each
 * document, the topic whose description is most similar. The scheduler packs the documents into
 * batches of at most 8 documents and 600 tokens (counted with the model's own tokenizer), runs 4
 * agents at once, times out and retries batches, and isolates failures to their batch. On the
 * sample corpus the true topic of each paragraph is known, so the report also gives the routing
 * accuracy.
 *
 * <pre>
 * ./batchwise example agent-batch
 * ./batchwise example agent-batch --provider hashing
 * </pre>
 */
public final class AgentBatch implements ExampleApp {

  /**
   * Runs the example.
   *
   * @param args {@code [--provider ID]}
   * @throws Exception when it fails
   */
  public static void main(String[] args) throws Exception {
    System.exit(new AgentBatch().run(List.of(args), System.out, System.err));
  }

  @Override
  public String name() {
    return "agent-batch";
  }

  @Override
  public String summary() {
    return "route documents to topics with concurrent agents over token-budgeted batches [--provider ID]";
  }

  /** A document and the topic it was written for. */
  record Document(String id, String topic, String text) {}

  /** What the agent decided for one document. */
  record Routed(String topic, double score) {}

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    String provider = args.size() >= 2 && args.get(0).equals("--provider") ? args.get(1) : "local";
    List<Document> documents =
        SampleCorpus.paragraphs().stream()
            .map(p -> new Document(p.id(), p.topic(), p.text()))
            .toList();
    List<String> topics = SampleCorpus.topics();

    // p50/p95/p99 over the whole job for the report (the metrics module's filter)
    MeterRegistry registry = BatchwiseMetrics.configure(new SimpleMeterRegistry());
    try (Batchwise bw = Batchwise.builder().provider(provider).meterRegistry(registry).build()) {
      Embedder embedder = bw.embedder();
      Tokenizer tokenizer = bw.provider().tokenizer();
      // the topic labels, embedded once and shared by every agent
      List<float[]> labels =
          embedder.embedAll(topics.stream().map(t -> "a text about " + t).toList()).vectors();

      Agent<Document, Routed> router =
          batch -> {
            List<String> texts = batch.items().stream().map(Document::text).toList();
            return embedder.embedAllAsync(texts).thenApply(result -> route(result, labels, topics));
          };
      JobOptions<Document> options =
          JobOptions.<Document>builder()
              .name("topic-router")
              .maxItems(8)
              .maxTokens(600)
              .tokenCounter(d -> tokenizer.count(d.text()))
              .concurrency(4)
              .sizeHint(documents.size())
              .build();

      Job<Document, Routed> job = bw.scheduler().submit(documents, router, options);
      ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName("agents")
              .setInitialMax(documents.size())
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(err, 100))
              .showSpeed()
              .setUnit(" docs", 1)
              .build();
      job.results().subscribe(new StepBar(bar));
      JobResult<Document, Routed> done = job.completion().join();
      // the publisher may deliver the last results after completion: move to the final count now,
      // and let late deliveries only move the bar forward (stepping once each would overshoot the
      // total)
      StepBar.advance(bar, done.progress().done());
      bar.close();

      report(done, out, err);
      err.print(JobReport.from(registry, options.name(), done.progress().elapsed()).toText());
    }
    return 0;
  }

  private static List<Routed> route(EmbedResult result, List<float[]> labels, List<String> topics) {
    List<float[]> vectors = result.vectors(); // a failure fails the batch; the scheduler retries it
    List<Routed> out = new ArrayList<>();
    for (float[] v : vectors) {
      int best = 0;
      double bestScore = -2;
      for (int t = 0; t < labels.size(); t++) {
        double s = cosine(v, labels.get(t));
        if (s > bestScore) {
          bestScore = s;
          best = t;
        }
      }
      out.add(new Routed(topics.get(best), bestScore));
    }
    return out;
  }

  private static void report(JobResult<Document, Routed> done, PrintStream out, PrintStream err) {
    Map<String, Integer> perTopic = new TreeMap<>();
    int correct = 0;
    for (ItemResult<Document, Routed> r : done.results()) {
      if (r.succeeded()) {
        perTopic.merge(r.output().topic(), 1, Integer::sum);
        if (r.output().topic().equals(r.item().topic())) {
          correct++;
        }
      } else {
        err.println("document " + r.item().id() + " failed: " + r.error().getMessage());
      }
    }
    var p = done.progress();
    out.printf(
        Locale.ROOT,
        "routed %d documents in %.2f s (%.1f docs/s), %d failed, %d retries, %d tokens%n",
        p.succeeded(),
        p.elapsed().toMillis() / 1000.0,
        p.itemsPerSecond(),
        p.failed(),
        p.retries(),
        p.tokens());
    out.printf(
        Locale.ROOT,
        "routing accuracy on the sample corpus: %.1f%%%n",
        100.0 * correct / Math.max(1, done.results().size()));
    perTopic.forEach((topic, n) -> out.printf(Locale.ROOT, "  %-12s %d%n", topic, n));
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  /** Advances the progress bar as each document's result arrives. */
  private static final class StepBar implements Flow.Subscriber<ItemResult<Document, Routed>> {
    private final ProgressBar bar;
    private final AtomicLong delivered = new AtomicLong();

    StepBar(ProgressBar bar) {
      this.bar = bar;
    }

    /** Moves {@code bar} to {@code count} unless it is already there or beyond. */
    static void advance(ProgressBar bar, long count) {
      synchronized (bar) {
        if (count > bar.getCurrent()) {
          bar.stepTo(count);
        }
      }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ItemResult<Document, Routed> item) {
      advance(bar, delivered.incrementAndGet());
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}
  }
}
