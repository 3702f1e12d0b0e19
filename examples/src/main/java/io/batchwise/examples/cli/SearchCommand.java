package io.batchwise.examples.cli;

import io.batchwise.Batchwise;
import io.batchwise.EmbedFailedException;
import io.batchwise.Embedder;
import io.batchwise.index.IndexFormatException;
import io.batchwise.index.IndexIdentity;
import io.batchwise.index.SearchHit;
import io.batchwise.index.VectorIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code batchwise search}: embeds a query (as a query: with the model's query prefix, if it has
 * one) and prints the top k chunks of an index with their scores and snippets.
 *
 * <p>The index file is data: it contributes only the {@link IndexIdentity} of its vectors, as the
 * default for whatever part of it the user leaves unset (provider, model, dimensions, pooling,
 * prefixes). Where the query goes and how it authenticates come from the user alone (flags, {@code
 * -o}, system properties, environment). Before anything is sent, the configured embedder's identity
 * must match the index's: vectors of different models cannot be compared.
 */
@Command(
    name = "search",
    sortOptions = false,
    description = {
      "Print the chunks of an index most similar to a query, with scores and snippets.",
      "The index supplies only what its vectors are (provider, model, dimensions, ...) as defaults;"
          + " endpoints and keys come from your options and environment, never from the file. A query"
          + " embedder that does not make the index's kind of vectors is refused before anything is sent."
    })
final class SearchCommand implements Callable<Integer> {
  static final int SNIPPET_CHARS = 200;

  @ParentCommand BatchwiseCli cli;

  @Mixin HelpOption help;

  @Option(
      names = "--index",
      required = true,
      paramLabel = "INDEX",
      description = "an index file written by 'batchwise index'")
  Path indexFile;

  @Option(
      names = "--k",
      defaultValue = "5",
      paramLabel = "N",
      description = "how many results (default: ${DEFAULT-VALUE})")
  int k;

  @Mixin ProviderOptions provider;

  @Parameters(
      arity = "1..*",
      paramLabel = "QUERY",
      description = "the query (several words need no quotes)")
  List<String> query;

  @Override
  public Integer call() {
    if (k < 1) {
      throw CliException.usage("--k must be at least 1, was " + k);
    }
    VectorIndex index = load(indexFile, cli.err());
    Optional<IndexIdentity> identity = index.identity();
    Map<String, String> defaults =
        identity.map(id -> provider.adopt(id, cli.sources())).orElse(Map.of());
    try (Batchwise bw = provider.build(cli.sources(), defaults)) {
      Embedder embedder = embedderFor(bw, identity.orElse(null));
      if (identity.isPresent()) {
        IndexIdentity configured = configuredIdentity(embedder);
        if (!identity.get().matches(configured)) {
          throw CliException.usage(
              indexFile
                  + " holds vectors of "
                  + identity.get()
                  + ", but the configured embedder"
                  + " makes "
                  + configured
                  + ": vectors of different models cannot be compared (configure the index's"
                  + " embedder with --provider, --model, --dimensions or -o)");
        }
      }
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

  /**
   * The embedder, naming the index when the model name it supplied cannot be loaded (a model id
   * with a provider's override suffix, or a model read from a directory, is not a name to load by).
   */
  private Embedder embedderFor(Batchwise bw, IndexIdentity identity) {
    try {
      return ProviderOptions.embedder(bw);
    } catch (CliException e) {
      if (identity != null
          && provider.modelFromIndex()
          && e.getMessage().contains("'" + identity.model() + "'")) {
        throw CliException.usage(
            e.getMessage()
                + " (the model '"
                + identity.model()
                + "' is the one "
                + indexFile
                + " was built with; name it as the provider loads it with --model or -o)");
      }
      throw e;
    }
  }

  /** What the configured embedder's vectors are, projected as the index records its own. */
  private static IndexIdentity configuredIdentity(Embedder embedder) {
    try {
      return IndexIdentity.of(embedder.identity());
    } catch (IllegalArgumentException e) {
      throw CliException.usage("the configured embedder: " + e.getMessage());
    }
  }

  static VectorIndex load(Path file, PrintStream err) {
    try {
      return VectorIndex.load(
          file, warning -> err.println("batchwise search: warning: " + warning));
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
