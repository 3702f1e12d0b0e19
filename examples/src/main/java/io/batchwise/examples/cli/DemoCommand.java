package io.batchwise.examples.cli;

import io.batchwise.Batchwise;
import io.batchwise.Embedder;
import io.batchwise.examples.demo.Demo;
import io.batchwise.examples.demo.SampleCorpus;
import io.batchwise.index.SearchHit;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code batchwise demo}: the main job on a fresh machine — index the bundled sample corpus with
 * the local model and answer questions whose answers are known paragraphs.
 */
@Command(
    name = "demo",
    sortOptions = false,
    description =
        "Index the bundled sample corpus (270 paragraphs, 18 topics) with the local model and answer a few questions.")
final class DemoCommand implements Callable<Integer> {
  @ParentCommand BatchwiseCli cli;

  @Mixin HelpOption help;

  @Mixin ProviderOptions provider;

  @Option(
      names = {"-q", "--quiet"},
      description = "no report on stderr")
  boolean quiet;

  @Override
  public Integer call() {
    PrintStream out = cli.out();
    int paragraphs = SampleCorpus.paragraphs().size();
    try (Batchwise bw = provider.build(cli.sources(), Map.of())) {
      Embedder embedder = ProviderOptions.embedder(bw);
      out.printf(
          Locale.ROOT,
          "Indexing %d paragraphs on %d topics with %s/%s ...%n",
          paragraphs,
          SampleCorpus.topics().size(),
          embedder.providerId(),
          embedder.modelInfo().modelId());
      long start = System.nanoTime();
      Demo.Indexed indexed = Demo.index(embedder);
      double seconds = (System.nanoTime() - start) / 1e9;
      // read now, before the questions are embedded: the report is of the indexing, every figure of
      // the same embeds (the instance's meters go on counting the questions)
      EmbedReport report =
          EmbedReport.of(
              embedder.providerId(),
              embedder.modelInfo().modelId(),
              new StreamedEmbedding.Totals(
                  indexed.result().embeddings().size(), indexed.result().failures().size()),
              0,
              seconds,
              bw.meterRegistry());
      out.printf(
          Locale.ROOT, "Indexed %d paragraphs in %.1f s.%n%n", indexed.index().size(), seconds);
      if (!indexed.result().allSucceeded()) {
        throw new CliException(
            ExitCodes.EMBED,
            indexed.result().failures().size()
                + " paragraphs got no vector: "
                + indexed.result().failures().get(0).error().getMessage());
      }
      List<Demo.Answer> answers = Demo.answer(indexed.index(), embedder);
      int found = 0;
      for (Demo.Answer a : answers) {
        out.println("? " + a.query().text());
        for (SearchHit h : a.hits()) {
          boolean expected = h.id().equals(a.query().expectedId());
          out.printf(
              Locale.ROOT,
              "  %.3f  %-14s %s%s%n",
              h.score(),
              h.id(),
              SearchCommand.snippet(h.metadata().get("text"))
                  .substring(
                      0, Math.min(100, SearchCommand.snippet(h.metadata().get("text")).length())),
              expected ? "  <- the answer" : "");
        }
        found += a.rankOfExpected() > 0 ? 1 : 0;
        out.println();
      }
      out.printf(
          Locale.ROOT,
          "%d of %d questions found their answer in the top %d.%n",
          found,
          answers.size(),
          Demo.TOP_K);
      if (!quiet) {
        cli.err().print(report.toText());
      }
      return ExitCodes.OK;
    }
  }
}
