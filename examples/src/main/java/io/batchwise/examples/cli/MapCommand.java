package io.batchwise.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchwise.Batchwise;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.map.MapAnswer;
import io.batchwise.map.MapPlan;
import io.batchwise.map.MapResult;
import io.batchwise.map.MapUsage;
import io.batchwise.map.Mapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code batchwise map}: runs one instruction over every input through a chat model and writes one
 * answer per input, in input order: {@code {"id": ..., "answer": <JSON>}}, or {@code {"id": ...,
 * "error": "..."}} in its place. The inputs are read as {@code embed} reads them, with the same
 * bad-input rules and exit codes; the answers go through {@code bw.mapper()} (packed, deduplicated,
 * cached, checked against {@code --schema}).
 */
@Command(
    name = "map",
    sortOptions = false,
    description = {
      "Run an instruction over every input through a chat model; write one JSON answer per input, in input order.",
      "Inputs: a file (one text per line, or JSONL), a directory (one text per text file), or - for stdin."
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 unexpected failure, 2 usage or configuration, 3 input (also --schema), 4 output,"
          + " 5 some inputs got no answer, 130 interrupted (Ctrl-C)."
    })
final class MapCommand implements Callable<Integer> {
  /** Failed items reported one per line; the summary line counts them all. */
  private static final int FAILURES_SHOWN = 10;

  /** The {@code openai} mapper's model option, which {@code --model} sets. */
  static final String MODEL_OPTION = "openai.chat.model";

  /**
   * The server's base URL, shared with the {@code openai} embeddings provider, which {@code
   * --base-url} sets.
   */
  static final String BASE_URL_OPTION = "openai.base-url";

  @ParentCommand BatchwiseCli cli;

  @Mixin HelpOption help;

  @Mixin InputOptions input;

  @Option(
      names = "--instruction",
      required = true,
      paramLabel = "TEXT",
      description = "what to do with each input")
  String instruction;

  @Option(
      names = "--schema",
      paramLabel = "PATH",
      description = "a JSON Schema file every answer must match (default: any JSON)")
  Path schema;

  @Option(
      names = "--out",
      paramLabel = "PATH|-",
      description =
          "output JSONL file, written whole or not at all, or - for stdout; required unless --dry-run")
  String out;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "chat model (option " + MODEL_OPTION + "; default gpt-4o-mini)")
  String model;

  @Option(
      names = "--base-url",
      paramLabel = "URL",
      description = "base URL of an OpenAI-compatible API (vLLM, Ollama, ...)")
  String baseUrl;

  @Option(
      names = "--cache",
      paramLabel = "ID",
      description =
          "answer cache: none (default), caffeine, sqlite, redis, tiered; makes reruns resumable")
  String cache;

  @Option(
      names = "--cache-path",
      paramLabel = "PATH",
      description = "file of a disk cache (sqlite)")
  Path cachePath;

  @Option(
      names = "--cache-uri",
      paramLabel = "URI",
      description = "URI of a shared cache (redis://host:6379)")
  String cacheUri;

  @Option(names = "--concurrency", paramLabel = "N", description = "requests at once, 1-1024")
  Integer concurrency;

  @Option(
      names = {"-o", "--option"},
      paramLabel = "KEY=VALUE",
      description = "any Batchwise option, e.g. -o openai.chat.items-per-request=10 (repeatable)")
  Map<String, String> options = new LinkedHashMap<>();

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
          "read, tokenize and consult the cache, then print requests, prompt tokens, predicted answer tokens and the cost; calls nothing")
  boolean dryRun;

  @Override
  public Integer call() throws IOException {
    PrintStream err = cli.err();
    if (out == null && !dryRun) {
      throw CliException.usage("missing option --out (or use --dry-run)");
    }
    if (instruction.isBlank()) {
      throw CliException.usage("--instruction is blank: say what to do with each input");
    }
    boolean toStdout = CommandOutput.STDOUT.equals(out);
    Path outFile = out == null || toStdout ? null : BatchwiseCli.absolute(out);
    String schemaText =
        schema == null ? null : readSchema(BatchwiseCli.absolute(schema.toString()));
    InputReader reader = input.reader(err);
    List<InputRecord> records = reader.read(input.in, cli.in());
    List<String> texts = records.stream().map(InputRecord::text).toList();

    if (dryRun) {
      try (Batchwise bw = build(true)) {
        MapPlan plan = plan(mapper(bw), texts, schemaText);
        cli.out().print(planText(plan));
        if (report != null) {
          EmbedReport.writeText(report, json(planJson(plan)));
        }
      }
      return ExitCodes.OK;
    }

    try (CommandOutput output =
            toStdout ? CommandOutput.stdout(cli.out()) : CommandOutput.open(outFile);
        Batchwise bw = build(false)) {
      Mapper mapper = mapper(bw);
      AtomicLong done = new AtomicLong();
      CompletableFuture<MapResult> running;
      try {
        running = mapper.mapAllAsync(texts, instruction, schemaText, done::addAndGet);
      } catch (IllegalArgumentException e) {
        throw CliException.input(
            (schema != null ? BatchwiseCli.absolute(schema.toString()) + ": " : "")
                + e.getMessage());
      }
      MapResult result;
      // the bar starts once the run has: a refused schema is reported alone
      try (ProgressDisplay progress =
          ProgressDisplay.follow(quiet, err, "map", records.size(), "inputs", done::get)) {
        result = running.join();
        Interrupts.awaitExitIfStopping(); // a stopped run's output is never written
        progress.finish(records.size());
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      long failures = 0;
      try (JsonGenerator json =
          new JsonFactory(new ObjectMapper()).createGenerator(output.stream())) {
        json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        json.setRootValueSeparator(null);
        for (MapAnswer a : result.results()) {
          int i = (int) a.index();
          InputRecord r = records.get(i);
          json.writeStartObject();
          JsonlVectorWriter.writeId(json, i, r);
          if (a.succeeded()) {
            json.writeFieldName("answer");
            json.writeRawValue(a.answer()); // already compact, checked JSON
          } else {
            json.writeStringField("error", a.error().getMessage());
            if (++failures <= FAILURES_SHOWN) {
              err.println(
                  "batchwise: input "
                      + i
                      + " ("
                      + r.origin()
                      + ") got no answer: "
                      + a.error().getMessage());
            }
          }
          json.writeEndObject();
          json.writeRaw('\n');
        }
      } catch (IOException e) {
        throw CliException.output("cannot write " + output.name() + ": " + e.getMessage());
      }
      output.commit();
      ObjectNode summary = usageJson(mapper.model(), reader.skipped(), result.usage());
      if (!quiet) {
        err.print(usageText(mapper.model(), reader.skipped(), result.usage()));
      }
      if (report != null) {
        EmbedReport.writeText(report, json(summary));
      }
      if (failures > 0) {
        throw new CliException(
            ExitCodes.EMBED,
            failures
                + " of "
                + records.size()
                + " inputs got no answer; "
                + output.name()
                + " has an \"error\" in their place");
      }
      return ExitCodes.OK;
    }
  }

  /**
   * The schema file's text; a missing, unreadable or non-UTF-8 file is an input error naming it.
   */
  private static String readSchema(Path file) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (NoSuchFileException e) {
      throw CliException.input("schema not found: " + file);
    } catch (AccessDeniedException e) {
      throw CliException.input("cannot read " + file + ": permission denied");
    } catch (CharacterCodingException e) {
      throw CliException.input(file + " is not UTF-8 text");
    } catch (IOException e) {
      throw CliException.input("cannot read " + file + ": " + e.getMessage());
    }
  }

  private MapPlan plan(Mapper mapper, List<String> texts, String schemaText) {
    try {
      return mapper.plan(texts, instruction, schemaText);
    } catch (IllegalArgumentException e) {
      throw CliException.input(
          (schema != null ? BatchwiseCli.absolute(schema.toString()) + ": " : "") + e.getMessage());
    }
  }

  /** The instance: this command's options, the cache flags checked as {@code embed} checks them. */
  private Batchwise build(boolean dryRunPlaceholders) {
    ProviderOptions shared = new ProviderOptions();
    shared.cache = cache;
    shared.cachePath = cachePath;
    shared.cacheUri = cacheUri;
    shared.concurrency = concurrency;
    shared.options = new LinkedHashMap<>(options);
    Map<String, String> own = new LinkedHashMap<>();
    if (model != null) {
      own.put(MODEL_OPTION, model);
    }
    if (baseUrl != null) {
      own.put(BASE_URL_OPTION, baseUrl);
    }
    if (!options.containsKey(CoreOptions.MAPPER.key()) && !cli.sources().sets(CoreOptions.MAPPER)) {
      // chosen by id, so that the openai.* server options count for the mapper whatever the
      // provider
      own.put(CoreOptions.MAPPER.key(), CoreOptions.MAPPER.defaultText());
    }
    own.forEach(
        (k, v) -> {
          if (options.containsKey(k)) {
            throw CliException.usage("option '" + k + "' is set twice (by -o and by its own flag)");
          }
        });
    if (dryRunPlaceholders) {
      own.putAll(placeholders(shared.toOptions(cli.sources())));
    }
    return shared.build(cli.sources(), own);
  }

  /** A dry run makes no call, so it needs no key: the mapper's secret options get placeholders. */
  private Map<String, String> placeholders(Map<String, String> given) {
    Map<String, String> out = new LinkedHashMap<>();
    String id =
        given.getOrDefault(
            CoreOptions.MAPPER.key(),
            cli.sources().valueOf(CoreOptions.MAPPER) != null
                ? cli.sources().valueOf(CoreOptions.MAPPER)
                : CoreOptions.MAPPER.defaultText());
    Discovery.mapper(id)
        .ifPresent(
            f -> {
              for (ConfigOption<?> o : f.options()) {
                if (o.secret() && !given.containsKey(o.key()) && !cli.sources().sets(o)) {
                  out.put(o.key(), "dry-run-placeholder");
                }
              }
            });
    return out;
  }

  private static Mapper mapper(Batchwise bw) {
    try {
      return bw.mapper();
    } catch (ConfigurationException | IllegalStateException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static String json(ObjectNode n) {
    try {
      return JSON.writeValueAsString(n) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String cost(double usd) {
    return Double.isNaN(usd)
        ? "unknown (no list price for the model; set openai.chat.input-price and output-price)"
        : String.format(Locale.ROOT, "$%.4f", usd);
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append(String.format(Locale.ROOT, "  %-19s %s%n", label, value));
  }

  static String usageText(String model, long skipped, MapUsage u) {
    StringBuilder b = new StringBuilder("batchwise map report (").append(model).append(")\n");
    line(b, "inputs", Long.toString(u.items()));
    line(b, "unique inputs", Long.toString(u.uniqueItems()));
    if (skipped > 0) {
      line(b, "skipped", Long.toString(skipped));
    }
    line(
        b,
        "cache hits",
        u.cacheHits() + String.format(Locale.ROOT, " (%.1f%%)", 100 * u.cacheHitRate()));
    line(b, "requests", Long.toString(u.calls()));
    line(b, "retries", Long.toString(u.retries()));
    line(b, "failures", Long.toString(u.failed()));
    line(
        b,
        "prompt tokens",
        u.promptTokens() + (u.cachedTokens() > 0 ? " (" + u.cachedTokens() + " cached)" : ""));
    line(b, "completion tokens", Long.toString(u.completionTokens()));
    line(b, "cost", cost(u.costUsd()));
    line(b, "seconds", String.format(Locale.ROOT, "%.3f", u.elapsed().toNanos() / 1e9));
    return b.toString();
  }

  static ObjectNode usageJson(String model, long skipped, MapUsage u) {
    ObjectNode n = JSON.createObjectNode();
    n.put("model", model);
    n.put("inputs", u.items());
    n.put("uniqueInputs", u.uniqueItems());
    n.put("skipped", skipped);
    n.put("cacheHits", u.cacheHits());
    n.put("requests", u.calls());
    n.put("retries", u.retries());
    n.put("failures", u.failed());
    n.put("promptTokens", u.promptTokens());
    n.put("completionTokens", u.completionTokens());
    n.put("cachedTokens", u.cachedTokens());
    if (Double.isNaN(u.costUsd())) {
      n.putNull("costUsd");
    } else {
      n.put("costUsd", u.costUsd());
    }
    n.put("seconds", u.elapsed().toNanos() / 1e9);
    return n;
  }

  static String planText(MapPlan p) {
    StringBuilder b =
        new StringBuilder("batchwise map --dry-run (")
            .append(p.model())
            .append("): nothing was sent\n");
    line(b, "inputs", Long.toString(p.items()));
    line(b, "unique inputs", Long.toString(p.uniqueItems()));
    line(b, "cache hits", Long.toString(p.cacheHits()));
    if (p.invalid() > 0) {
      line(b, "invalid inputs", Long.toString(p.invalid()));
    }
    if (p.oversize() > 0) {
      line(b, "over the window", Long.toString(p.oversize()));
    }
    line(b, "requests", Long.toString(p.calls()));
    line(b, "prompt tokens", Long.toString(p.promptTokens()));
    line(b, "predicted out", p.predictedCompletionTokens() + " tokens at most");
    line(b, "estimated cost", cost(p.costUsd()) + (Double.isNaN(p.costUsd()) ? "" : " at most"));
    return b.toString();
  }

  static ObjectNode planJson(MapPlan p) {
    ObjectNode n = JSON.createObjectNode();
    n.put("model", p.model());
    n.put("inputs", p.items());
    n.put("uniqueInputs", p.uniqueItems());
    n.put("cacheHits", p.cacheHits());
    n.put("invalid", p.invalid());
    n.put("oversize", p.oversize());
    n.put("requests", p.calls());
    n.put("promptTokens", p.promptTokens());
    n.put("predictedCompletionTokens", p.predictedCompletionTokens());
    if (Double.isNaN(p.costUsd())) {
      n.putNull("costUsd");
    } else {
      n.put("costUsd", p.costUsd());
    }
    return n;
  }
}
