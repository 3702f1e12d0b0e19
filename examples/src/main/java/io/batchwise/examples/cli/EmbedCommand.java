package io.batchwise.examples.cli;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.Embedding;
import io.batchwise.config.ConfigOption;
import io.batchwise.providers.openai.BatchJob;
import io.batchwise.providers.openai.BatchJobStatus;
import io.batchwise.providers.openai.OpenAiBatch;
import io.batchwise.spi.InputType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code batchwise embed}: embeds every input and writes one vector per input, in input order. */
@Command(
    name = "embed",
    sortOptions = false,
    description = {
      "Embed every input and write one vector per input, in input order.",
      "Inputs: a file (one text per line, or JSONL), a directory (one text per text file), or - for stdin;"
          + " read as they are embedded, a window (stream-window) at a time."
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 unexpected failure, 2 usage or configuration, 3 input, 4 output,"
          + " 5 some inputs got no vector, 130 interrupted (Ctrl-C)."
    })
final class EmbedCommand implements Callable<Integer> {
  /** Failed inputs reported one per line; the summary line counts them all. */
  private static final int FAILURES_SHOWN = 10;

  @ParentCommand BatchwiseCli cli;

  @Mixin HelpOption help;

  @Mixin InputOptions input;

  @Option(
      names = "--out",
      paramLabel = "PATH|-",
      description =
          "output file, written whole or not at all, or - for stdout (JSONL); required unless --dry-run")
  String out;

  @Option(
      names = "--out-format",
      paramLabel = "FORMAT",
      description = "jsonl, npy or fvecs; default: from the --out extension, else jsonl")
  String outFormat;

  @Mixin ProviderOptions provider;

  @Option(
      names = "--report",
      paramLabel = "PATH",
      description = "also write the end-of-job report as JSON here")
  Path report;

  @Option(
      names = {"-q", "--quiet"},
      description = "no progress bar and no report on stderr")
  boolean quiet;

  @Option(
      names = "--dry-run",
      description =
          "read, tokenize and consult the cache, then print inputs, cache hits, tokens, requests and the estimated cost; calls nothing")
  boolean dryRun;

  @Option(
      names = "--batch-api",
      description =
          "embed through OpenAI's Batch API (provider openai): half the list price, answered within"
              + " 24 hours; waits with progress unless --no-wait; running the same command again resumes the job")
  boolean batchApi;

  @Option(
      names = "--no-wait",
      description =
          "with --batch-api: submit the job, print its id and exit; the same command run again resumes it")
  boolean noWait;

  @Option(
      names = "--price-per-mtok",
      paramLabel = "USD",
      description =
          "price per million tokens for --dry-run (default: the list price of known OpenAI models)")
  Double pricePerMtok;

  @Override
  public Integer call() throws IOException {
    PrintStream err = cli.err();
    if (out == null && !dryRun) {
      throw CliException.usage("missing option --out (or use --dry-run)");
    }
    if (pricePerMtok != null
        && (pricePerMtok < 0 || pricePerMtok.isNaN() || pricePerMtok.isInfinite())) {
      throw CliException.usage(
          "--price-per-mtok must be a price of 0 or more, was " + pricePerMtok);
    }
    if (noWait && !batchApi) {
      throw CliException.usage("--no-wait goes with --batch-api");
    }
    boolean toStdout = CommandOutput.STDOUT.equals(out);
    Path outFile = out == null || toStdout ? null : BatchwiseCli.absolute(out);
    OutputFormat outputFormat =
        outFile == null
            ? parseOutFormat(OutputFormat.JSONL)
            : parseOutFormat(OutputFormat.of(outFile));
    if (toStdout && outputFormat != OutputFormat.JSONL) {
      throw CliException.usage(
          "--out - writes JSONL only: "
              + outputFormat.name().toLowerCase(Locale.ROOT)
              + " is written whole or not at all (and npy with its ids beside it), so it needs a file");
    }
    Path idsFile =
        outputFormat == OutputFormat.NPY && outFile != null && !dryRun ? idsFileOf(outFile) : null;
    try (InputSource source = input.reader(err).open(input.in, cli.in())) {
      source.hasNext(); // an input error (none at all, a missing file) before the provider loads
      // each npy id is checked as it is read to fit one line of the ids file
      Iterator<InputRecord> inputs =
          idsFile == null
              ? source
              : StreamedEmbedding.map(
                  source,
                  r -> {
                    NpyVectorWriter.requireIdFits(r, idsFile);
                    return r;
                  });
      if (dryRun) {
        return dryRun(source);
      }
      if (batchApi) {
        return embedInBatches(source, inputs, outputFormat, toStdout ? null : outFile, idsFile);
      }
      return embed(source, inputs, outputFormat, toStdout ? null : outFile, idsFile);
    }
  }

  private int dryRun(InputSource source) {
    try (Batchwise bw = provider.build(cli.sources(), provider.dryRunPlaceholders(cli.sources()))) {
      DryRun estimate =
          DryRun.estimate(bw, StreamedEmbedding.map(source, InputRecord::text), pricePerMtok);
      cli.out().print(estimate.toText());
      if (report != null) {
        EmbedReport.writeText(report, estimate.toJson());
      }
    }
    return ExitCodes.OK;
  }

  private int embed(
      InputSource source,
      Iterator<InputRecord> inputs,
      OutputFormat outputFormat,
      Path outFile,
      Path idsFile)
      throws IOException {
    PrintStream err = cli.err();
    try (CommandOutput output =
            outFile == null ? CommandOutput.stdout(cli.out()) : CommandOutput.open(outFile);
        CommandOutput ids = idsFile != null ? CommandOutput.open(idsFile) : null;
        Batchwise bw = provider.build(cli.sources(), Map.of())) {
      Embedder embedder = ProviderOptions.embedder(bw);
      VectorWriter writer =
          VectorWriter.of(
              outputFormat,
              output.stream(),
              output::rewriteStart,
              ids != null ? ids.stream() : null,
              embedder.modelInfo().dimensions());
      long start = System.nanoTime();
      StreamedEmbedding.Totals totals =
          StreamedEmbedding.run(
              embedder,
              bw.meterRegistry(),
              inputs,
              InputRecord::text,
              done ->
                  ProgressDisplay.follow(quiet, err, "embed", source.expected(), "inputs", done),
              sink(writer, err));
      return finish(bw, embedder, source, totals, start, writer, output, ids, outputFormat);
    }
  }

  /** Writes each input's vector, or its failure (the first few also on stderr). */
  private StreamedEmbedding.Sink<InputRecord> sink(VectorWriter writer, PrintStream err) {
    long[] shown = {0};
    return (i, r, e) -> {
      if (e.succeeded()) {
        writer.write(i, r, e.vector());
        return;
      }
      String error = errorOf(i, e.error().getMessage());
      if (++shown[0] <= FAILURES_SHOWN) { // the first few in full; the count says the rest
        err.println("batchwise: input " + i + " (" + r.origin() + ") got no vector: " + error);
      }
      if (writer.recordsFailures()) {
        writer.writeFailure(i, r, error);
      }
    };
  }

  /**
   * The end of an embed, synchronous or through the Batch API: the output committed, the report.
   */
  private int finish(
      Batchwise bw,
      Embedder embedder,
      InputSource source,
      StreamedEmbedding.Totals totals,
      long start,
      VectorWriter writer,
      CommandOutput output,
      CommandOutput ids,
      OutputFormat outputFormat) {
    PrintStream err = cli.err();
    double seconds = (System.nanoTime() - start) / 1e9;
    EmbedReport result =
        EmbedReport.of(
            embedder.providerId(),
            embedder.modelInfo().modelId(),
            totals,
            source.skipped(),
            seconds,
            bw.meterRegistry());
    long failures = totals.failures();
    boolean written = failures == 0 || writer.recordsFailures();
    if (written) {
      try {
        writer.finish();
      } catch (IOException e) {
        throw CliException.output("cannot write " + output.name() + ": " + e.getMessage());
      }
      output.commit();
      if (ids != null) {
        ids.commit();
      }
    }
    if (!quiet) {
      err.print(result.toText());
    }
    if (report != null) {
      result.writeJson(report);
    }
    if (failures > 0) {
      throw new CliException(
          ExitCodes.EMBED,
          failures
              + " of "
              + totals.inputs()
              + " inputs got no vector; "
              + (written
                  ? output.name() + " has an \"error\" in their place"
                  : output.name()
                      + " was not written ("
                      + outputFormat.name().toLowerCase(Locale.ROOT)
                      + " cannot leave a row out; use --out-format jsonl, or --cache to keep the vectors for a rerun)"));
    }
    return ExitCodes.OK;
  }

  /**
   * {@code --batch-api}: the inputs as one Batch API job (read whole: a job's id is a hash of its
   * ordered inputs), its state beside the output unless {@code openai.batch.state-dir} says
   * otherwise; then the same outputs, failures and report as the synchronous path.
   */
  private int embedInBatches(
      InputSource source,
      Iterator<InputRecord> inputs,
      OutputFormat outputFormat,
      Path outFile,
      Path idsFile)
      throws IOException {
    PrintStream err = cli.err();
    List<InputRecord> records = new ArrayList<>();
    inputs.forEachRemaining(records::add);
    List<String> texts = new ArrayList<>(records.size());
    records.forEach(r -> texts.add(r.text()));
    Map<String, String> extra = new LinkedHashMap<>();
    ConfigOption<String> stateDir = OpenAiBatch.STATE_DIR;
    if (outFile != null
        && cli.sources().systemProperties().getProperty(stateDir.systemProperty()) == null
        && cli.sources().environment().get(stateDir.environmentVariable()) == null) {
      extra.put(
          stateDir.key(), outFile.resolveSibling(outFile.getFileName() + ".batch").toString());
    }
    try (CommandOutput output =
            outFile == null ? CommandOutput.stdout(cli.out()) : CommandOutput.open(outFile);
        CommandOutput ids = idsFile != null ? CommandOutput.open(idsFile) : null;
        Batchwise bw = provider.build(cli.sources(), extra);
        OpenAiBatch batch = openBatch(bw)) {
      Embedder embedder = ProviderOptions.embedder(bw);
      VectorWriter writer =
          VectorWriter.of(
              outputFormat,
              output.stream(),
              output::rewriteStart,
              ids != null ? ids.stream() : null,
              embedder.modelInfo().dimensions());
      long start = System.nanoTime();
      AtomicReference<BatchJobStatus> status = new AtomicReference<>();
      BatchJob job = batch.submit(texts, InputType.DOCUMENT, status::set);
      EmbedResult result;
      try (ProgressDisplay display =
          ProgressDisplay.follow(
              quiet || noWait,
              err,
              "batch",
              -1,
              "requests",
              () -> status.get() == null ? 0 : status.get().completed() + status.get().failed())) {
        if (noWait) {
          String id = job.submitted().get();
          cli.out().println(id);
          err.println(
              "batchwise: "
                  + status.get()
                  + "; run the same command again to wait for it"
                  + (outFile != null ? " and write " + output.name() : ""));
          return ExitCodes.OK;
        }
        result = job.result().get();
        display.finish(status.get() == null ? 0 : status.get().requests());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(
            ExitCodes.INTERRUPTED,
            "interrupted; run the same command again to resume the batch job");
      } catch (ExecutionException e) {
        Interrupts.awaitExitIfStopping();
        throw new CliException(
            ExitCodes.FAILURE,
            "batch job "
                + job.id()
                + " failed: "
                + e.getCause().getMessage()
                + "; run the same command again to resume it",
            e.getCause());
      }
      StreamedEmbedding.Sink<InputRecord> sink = sink(writer, err);
      long failures = 0;
      for (int i = 0; i < records.size(); i++) {
        Embedding e = result.embeddings().get(i);
        sink.accept(i, records.get(i), e);
        failures += e.succeeded() ? 0 : 1;
      }
      return finish(
          bw,
          embedder,
          source,
          new StreamedEmbedding.Totals(records.size(), failures),
          start,
          writer,
          output,
          ids,
          outputFormat);
    }
  }

  private static OpenAiBatch openBatch(Batchwise bw) {
    try {
      return OpenAiBatch.of(bw);
    } catch (
        IllegalArgumentException e) { // another provider, an invalid openai.batch.* option, Azure
      throw CliException.usage("--batch-api: " + e.getMessage());
    }
  }

  /**
   * Where the ids of an npy matrix go: beside it, {@code NAME.ids.txt} for {@code NAME.npy} (or for
   * a file without that extension, its whole name then {@code .ids.txt}).
   *
   * @param npy the matrix file
   * @return the ids file
   */
  static Path idsFileOf(Path npy) {
    String name = npy.getFileName().toString();
    String stem =
        name.toLowerCase(Locale.ROOT).endsWith(".npy")
            ? name.substring(0, name.length() - 4)
            : name;
    return npy.resolveSibling(stem + ".ids.txt");
  }

  /**
   * The pipeline's message for a failed input, which names the input's position within its embed
   * call, restated with the input's position in the whole job.
   */
  static String errorOf(long index, String message) {
    return message.replaceFirst("^input \\d+\\b", "input " + index);
  }

  private OutputFormat parseOutFormat(OutputFormat byName) {
    if (outFormat == null) {
      return byName;
    }
    try {
      return OutputFormat.valueOf(outFormat.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--out-format must be jsonl, npy or fvecs, was '" + outFormat + "'");
    }
  }
}
