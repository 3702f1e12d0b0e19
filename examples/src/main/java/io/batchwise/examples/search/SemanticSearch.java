package io.batchwise.examples.search;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.demo.SampleCorpus;
import io.batchwise.examples.text.TokenChunker;
import io.batchwise.index.IndexDocument;
import io.batchwise.index.SearchHit;
import io.batchwise.index.VectorIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Semantic search over a folder: every text file is cut into token-sized chunks, all chunks are
 * embedded in one call and put in a {@link VectorIndex}, and each query prints its closest chunks.
 *
 * <pre>
 * ./batchwise example semantic-search                                  # the sample corpus, sample questions
 * ./batchwise example semantic-search --folder ~/notes "how do I rotate the logs?"
 * ./batchwise example semantic-search --provider hashing --folder docs "backup"
 * </pre>
 */
public final class SemanticSearch implements ExampleApp {
  private static final List<String> SAMPLE_QUERIES =
      List.of(
          "what makes bread rise?", "how do hurricanes get their energy?", "keeping a cat healthy");

  /**
   * Runs the example.
   *
   * @param args {@code [--provider ID] [--folder DIR] [QUERY...]}
   * @throws Exception when it fails
   */
  public static void main(String[] args) throws Exception {
    System.exit(new SemanticSearch().run(List.of(args), System.out, System.err));
  }

  @Override
  public String name() {
    return "semantic-search";
  }

  @Override
  public String summary() {
    return "index a folder and search it [--provider ID] [--folder DIR] [QUERY...]";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    String provider = "local";
    Path folder = null;
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--provider" -> provider = args.get(++i);
        case "--folder" -> folder = Path.of(args.get(++i));
        default -> queries.add(args.get(i));
      }
    }
    if (folder == null) {
      folder = SampleCorpus.writeTo(Files.createTempDirectory("batchwise-corpus"));
      err.println("no --folder given: searching the sample corpus (" + folder + ")");
    }
    if (queries.isEmpty()) {
      queries = SAMPLE_QUERIES;
    }

    try (Batchwise bw = Batchwise.builder().provider(provider).build()) {
      Embedder embedder = bw.embedder();
      int chunkTokens = Math.min(256, embedder.modelInfo().maxTokensPerInput());
      TokenChunker chunker = new TokenChunker(bw.provider().tokenizer(), chunkTokens, 32);

      List<IndexDocument> chunks = new ArrayList<>();
      for (Path file : textFiles(folder, err)) {
        String name = folder.relativize(file).toString();
        List<String> parts = chunker.chunk(Files.readString(file, StandardCharsets.UTF_8));
        for (int n = 0; n < parts.size(); n++) {
          chunks.add(
              new IndexDocument(name + "#" + (n + 1), parts.get(n), Map.of("text", parts.get(n))));
        }
      }
      VectorIndex index = VectorIndex.create(embedder.modelInfo().dimensions());
      EmbedResult result = index.addBatch(chunks, embedder); // one embed call for every chunk
      err.println("indexed " + index.size() + " chunks: " + result.usage());
      for (var failed : result.failures()) {
        err.println(
            "not indexed: "
                + chunks.get((int) failed.index()).id()
                + ": "
                + failed.error().getMessage());
      }

      for (String query : queries) {
        out.println("? " + query);
        for (SearchHit hit : index.search(query, 3, embedder)) {
          String text = hit.metadata().get("text").replaceAll("\\s+", " ");
          out.printf(
              Locale.ROOT,
              "  %.3f  %s  %s%n",
              hit.score(),
              hit.id(),
              text.length() > 120 ? text.substring(0, 120) + " ..." : text);
        }
      }
    }
    return 0;
  }

  /**
   * Every readable UTF-8 text file under the folder, skipping hidden ones and saying which were
   * skipped.
   */
  static List<Path> textFiles(Path folder, PrintStream err) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        if (folder.relativize(p).toString().startsWith(".")
            || p.getFileName().toString().startsWith(".")) {
          continue;
        }
        try {
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p)));
          files.add(p);
        } catch (CharacterCodingException e) {
          err.println("skipping " + p + ": not UTF-8 text");
        }
      }
    }
    return files;
  }
}
