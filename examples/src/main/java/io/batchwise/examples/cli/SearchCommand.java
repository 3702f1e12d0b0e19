package io.batchwise.examples.cli;

import io.batchwise.Batchwise;
import io.batchwise.EmbedFailedException;
import io.batchwise.Embedder;
import io.batchwise.index.IndexFormatException;
import io.batchwise.index.SearchHit;
import io.batchwise.index.VectorIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code batchwise search}: embeds a query with the index's own provider and model and prints the
 * top k chunks with their scores and snippets.
 */
@Command(name = "search", sortOptions = false,
    description = "Print the chunks of an index most similar to a query, with scores and snippets."
        + " The query is embedded with the provider and model the index was built with.")
final class SearchCommand implements Callable<Integer> {
  static final int SNIPPET_CHARS = 200;

  @ParentCommand BatchwiseCli cli;

  @Option(names = "--index", required = true, paramLabel = "INDEX", description = "an index file written by 'batchwise index'")
  Path indexFile;

  @Option(names = "--k", defaultValue = "5", paramLabel = "N", description = "how many results (default: ${DEFAULT-VALUE})")
  int k;

  @Mixin ProviderOptions provider;

  @Parameters(arity = "1..*", paramLabel = "QUERY", description = "the query (several words need no quotes)")
  List<String> query;

  @Override
  public Integer call() {
    if (k < 1) {
      throw CliException.usage("--k must be at least 1, was " + k);
    }
    VectorIndex index = load(indexFile);
    Map<String, String> props = index.properties();
    provider.defaults(props.get(VectorIndex.PROPERTY_PROVIDER), props.get(VectorIndex.PROPERTY_MODEL));
    Map<String, String> shaping = new LinkedHashMap<>();
    props.forEach((key, v) -> {
      if (key.startsWith(IndexCommand.OPTION_PROPERTY)) {
        shaping.put(key.substring(IndexCommand.OPTION_PROPERTY.length()), v);
      }
    });
    try (Batchwise bw = provider.build(shaping)) {
      Embedder embedder = ProviderOptions.embedder(bw);
      List<SearchHit> hits;
      try {
        hits = index.search(String.join(" ", query), k, embedder);
      } catch (EmbedFailedException e) {
        throw new CliException(ExitCodes.EMBED, "the query got no vector: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw CliException.usage(indexFile + ": " + e.getMessage());
      }
      print(cli.out(), hits);
      return ExitCodes.OK;
    }
  }

  static VectorIndex load(Path file) {
    try {
      return VectorIndex.load(file);
    } catch (NoSuchFileException e) {
      throw CliException.input("index not found: " + file);
    } catch (IndexFormatException e) {
      throw CliException.input(e.getMessage());
    } catch (IOException e) {
      throw CliException.input("cannot read " + file + ": " + e.getMessage());
    }
  }

  static void print(PrintStream out, List<SearchHit> hits) {
    int rank = 1;
    for (SearchHit h : hits) {
      out.printf(Locale.ROOT, "%2d. %.4f  %s%n", rank++, h.score(), h.id());
      String text = h.metadata().get(IndexCommand.META_TEXT);
      if (text != null) {
        out.println("    " + snippet(text));
      }
    }
  }

  static String snippet(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    if (flat.length() <= SNIPPET_CHARS) {
      return flat;
    }
    int cut = flat.lastIndexOf(' ', SNIPPET_CHARS);
    return flat.substring(0, cut > SNIPPET_CHARS / 2 ? cut : SNIPPET_CHARS) + " ...";
  }
}
