package io.batchwise.examples.cli;

import io.batchwise.Batchwise;
import io.batchwise.Embedder;
import io.batchwise.examples.text.TokenChunker;
import io.batchwise.index.IndexIdentity;
import io.batchwise.index.VectorIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code batchwise index}: chunks documents by tokens, embeds the chunks and writes a vector index
 * file that {@code batchwise search} answers queries from.
 */
@Command(
    name = "index",
    sortOptions = false,
    description = {
      "Chunk documents by tokens, embed the chunks and write an index file for 'batchwise search'.",
      "A directory gives one document per text file; a file is one document (or one per line / JSONL"
          + " record with --format)."
    })
final class IndexCommand implements Callable<Integer> {
  /** Metadata keys of each chunk. */
  static final String META_SOURCE = "source";

  static final String META_CHUNK = "chunk";
  static final String META_TEXT = "text";

  @ParentCommand BatchwiseCli cli;

  @Mixin HelpOption help;

  @Option(
      names = "--in",
      required = true,
      paramLabel = "PATH|-",
      description = "documents: a directory, a file, or - for stdin")
  String in;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "INDEX",
      description = "the index file to write")
  Path out;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "text (default: a file is one document), lines or jsonl (one document per line / record)")
  String format;

  @Option(
      names = "--text-field",
      defaultValue = "text",
      paramLabel = "NAME",
      description = "JSONL text field (default: ${DEFAULT-VALUE})")
  String textField;

  @Option(
      names = "--id-field",
      defaultValue = "id",
      paramLabel = "NAME",
      description = "JSONL id field (default: ${DEFAULT-VALUE})")
  String idField;

  @Option(names = "--skip-invalid", description = "skip invalid JSONL lines instead of failing")
  boolean skipInvalid;

  @Option(
      names = "--chunk-tokens",
      paramLabel = "N",
      description = "most tokens per chunk (default: 256, or the model's per-input limit if lower)")
  Integer chunkTokens;

  @Option(
      names = "--overlap",
      defaultValue = "32",
      paramLabel = "N",
      description =
          "tokens each chunk repeats from the end of the one before (default: ${DEFAULT-VALUE})")
  int overlap;

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

  @Override
  public Integer call() {
    InputReader reader =
        new InputReader(
            InputOptions.parseFormat(format),
            InputFormat.TEXT,
            textField,
            idField,
            skipInvalid,
            cli.err());
    List<InputRecord> documents = reader.read(in, cli.in());
    Outputs.requireWritable(out);
    try (Batchwise bw = provider.build(cli.sources(), Map.of())) {
      Embedder embedder = ProviderOptions.embedder(bw);
      int limit = embedder.modelInfo().maxTokensPerInput();
      int size = chunkTokens != null ? chunkTokens : Math.min(256, limit);
      if (size > limit) {
        throw CliException.usage(
            "--chunk-tokens "
                + size
                + " is over the model's limit of "
                + limit
                + " tokens per input");
      }
      TokenChunker chunker;
      try {
        chunker = new TokenChunker(bw.provider().tokenizer(), size, overlap);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(
            e.getMessage()
                .replace("chunk tokens", "--chunk-tokens")
                .replace("overlap was", "--overlap was"));
      }
      List<Chunk> chunks = chunk(documents, chunker);
      VectorIndex index = VectorIndex.create(embedder.modelInfo().dimensions());
      // what the vectors are, and nothing about where they came from: search checks its embedder
      // against it
      try {
        index.recordIdentity(IndexIdentity.of(embedder.identity()));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("cannot record what the vectors are: " + e.getMessage());
      }
      long[] shown = {0};
      long start = System.nanoTime();
      StreamedEmbedding.Totals totals;
      try {
        totals =
            StreamedEmbedding.run(
                embedder,
                bw.meterRegistry(),
                chunks.iterator(),
                Chunk::text,
                done ->
                    ProgressDisplay.follow(
                        quiet, cli.err(), "index", chunks.size(), "chunks", done),
                (i, c, e) -> {
                  if (e.succeeded()) {
                    index.add(
                        c.id(),
                        e.vector(),
                        Map.of(
                            META_SOURCE,
                            c.source(),
                            META_CHUNK,
                            Integer.toString(c.number()),
                            META_TEXT,
                            c.text()));
                  } else if (++shown[0] <= 10) {
                    cli.err()
                        .println(
                            "batchwise: chunk "
                                + c.id()
                                + " got no vector: "
                                + e.error().getMessage());
                  }
                });
      } catch (IOException e) {
        throw new IllegalStateException(e); // the sink writes nothing to disk
      }
      EmbedReport result =
          EmbedReport.of(
              embedder.providerId(),
              embedder.modelInfo().modelId(),
              totals,
              reader.skipped(),
              (System.nanoTime() - start) / 1e9,
              bw.meterRegistry());
      long failures = totals.failures();
      if (!quiet) {
        cli.err().print(result.toText());
      }
      if (report != null) {
        result.writeJson(report);
      }
      if (failures > 0) {
        throw new CliException(
            ExitCodes.EMBED,
            failures
                + " of "
                + chunks.size()
                + " chunks got no vector; "
                + out
                + " was not written (an index missing chunks would answer wrongly;"
                + " use --cache to keep the other vectors for a rerun)");
      }
      try {
        index.save(out);
      } catch (IOException e) {
        throw CliException.output("cannot write " + out + ": " + e.getMessage());
      }
      cli.out()
          .println(
              "indexed "
                  + chunks.size()
                  + " chunks of "
                  + documents.size()
                  + " documents into "
                  + out);
      return ExitCodes.OK;
    }
  }

  private static List<Chunk> chunk(List<InputRecord> documents, TokenChunker chunker) {
    List<Chunk> chunks = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (InputRecord d : documents) {
      String id = d.id() != null ? d.id() : d.origin();
      if (!ids.add(id)) {
        throw CliException.input(d.origin() + ": document id '" + id + "' appears twice");
      }
      List<String> parts = chunker.chunk(d.text());
      for (int n = 0; n < parts.size(); n++) {
        chunks.add(new Chunk(id + "#" + (n + 1), id, n + 1, parts.get(n)));
      }
    }
    if (chunks.isEmpty()) {
      throw CliException.input("no text to index in " + (documents.size()) + " documents");
    }
    return chunks;
  }

  /** One chunk of a document. */
  private record Chunk(String id, String source, int number, String text) {}
}
