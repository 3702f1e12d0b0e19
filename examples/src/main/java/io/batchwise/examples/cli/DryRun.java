package io.batchwise.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchwise.Batchwise;
import io.batchwise.EmbedPlan;
import io.batchwise.Embedder;
import io.batchwise.config.CoreOptions;
import io.batchwise.scheduler.Packers;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What an embed would do, without calling the provider: the pipeline's own plan of it ({@link
 * Batchwise#plan}: validation, dedupe, cache lookups by the keys an embed uses, so a text the limit
 * cuts is a hit when its cut vector is cached, and token limits), the misses packed into calls with
 * the pipeline's own packers (for the provider's strategy and limits), the tokens priced; window by
 * window, as {@code embedStream} embeds the input. Immutable.
 *
 * @param provider the provider id
 * @param model the model id
 * @param inputs inputs read
 * @param uniqueInputs distinct valid texts (within each window of {@code stream-window} inputs,
 *     summed)
 * @param cacheHits distinct texts the cache already holds, under the key an embed would look them
 *     up by
 * @param overLimit distinct texts to embed that exceed the per-input token limit (those that would
 *     fail with the {@code fail} policy, those that would be cut with {@code truncate})
 * @param overLimitFail whether those would fail (the {@code fail} policy) rather than be truncated
 * @param tokens tokens that would be sent (after truncation; texts that would fail excluded)
 * @param requests provider calls it would take
 * @param inProcess whether the provider runs in-process (no per-token price)
 * @param pricePerMillion dollars per million tokens, NaN when unknown
 * @param batchPricePerMillion dollars per million tokens through OpenAI's Batch API ({@code
 *     --batch-api}): half of {@code pricePerMillion}; NaN when unknown or the provider has no Batch
 *     API
 */
public record DryRun(
    String provider,
    String model,
    long inputs,
    long uniqueInputs,
    long cacheHits,
    long overLimit,
    boolean overLimitFail,
    long tokens,
    long requests,
    boolean inProcess,
    double pricePerMillion,
    double batchPricePerMillion) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Estimates a job, window by window as {@code embedStream} embeds it ({@code stream-window}
   * inputs at a time, duplicates counted once per window), so that it reads its input as the embed
   * does: a window at a time, not all at once.
   *
   * @param bw the configured instance (its provider is created, but never called)
   * @param texts every input text, in order, read as needed
   * @param priceOverride dollars per million tokens from {@code --price-per-mtok}, or null
   * @return the estimate
   */
  static DryRun estimate(Batchwise bw, Iterator<String> texts, Double priceOverride) {
    Embedder embedder = ProviderOptions.embedder(bw);
    EmbeddingProvider provider = bw.provider();
    ModelInfo info = embedder.modelInfo();
    int streamWindow = bw.config().get(CoreOptions.STREAM_WINDOW);
    boolean inProcess = provider.batchStrategy() == BatchStrategy.PARALLEL_GATHER;
    long inputs = 0;
    long unique = 0;
    long hits = 0;
    long overLimit = 0;
    long tokens = 0;
    long requests = 0;
    boolean fail = false;
    List<String> window = new ArrayList<>();
    while (texts.hasNext()) {
      window.clear();
      while (window.size() < streamWindow && texts.hasNext()) {
        window.add(texts.next());
      }
      // the pipeline's own validation, dedupe, cache lookups and token limits, minus the provider
      EmbedPlan plan = bw.plan(window);
      fail = plan.limitPolicy() == LimitPolicy.FAIL;
      int[] counts = plan.tokensToSend();
      // packed by the pipeline's own packers, so the count is the calls the embed would make
      requests +=
          inProcess
              ? Packers.parallelGather(
                      counts,
                      info.maxInputsPerCall(),
                      info.maxTokensPerCall(),
                      info.microBatchTokenBudget())
                  .size()
              : Packers.singleCall(counts, info.maxInputsPerCall(), info.maxTokensPerCall()).size();
      inputs += plan.inputs();
      unique += plan.uniqueInputs();
      hits += plan.cacheHits();
      overLimit += fail ? plan.failing() : plan.truncated();
      tokens += plan.tokens();
    }
    OptionalDouble known = ModelPrices.perMillionTokens(embedder.providerId(), info.modelId());
    double price =
        priceOverride != null
            ? priceOverride
            : inProcess ? 0 : known.isPresent() ? known.getAsDouble() : Double.NaN;
    return new DryRun(
        embedder.providerId(),
        info.modelId(),
        inputs,
        unique,
        hits,
        overLimit,
        fail,
        tokens,
        requests,
        inProcess,
        price,
        ModelPrices.batchPerMillionTokens(embedder.providerId(), price));
  }

  /**
   * The estimated cost.
   *
   * @return dollars, NaN when the price is unknown
   */
  public double estimatedCost() {
    return tokens * pricePerMillion / 1_000_000.0;
  }

  /**
   * The estimated cost through OpenAI's Batch API.
   *
   * @return dollars, NaN when the price is unknown or the provider has no Batch API
   */
  public double estimatedBatchCost() {
    return tokens * batchPricePerMillion / 1_000_000.0;
  }

  /**
   * The estimate as aligned lines.
   *
   * @return the text
   */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append("dry run: nothing was sent to ")
        .append(provider)
        .append('/')
        .append(model)
        .append('\n');
    line(b, "inputs", Long.toString(inputs));
    line(b, "unique inputs", Long.toString(uniqueInputs));
    line(b, "cache hits", Long.toString(cacheHits));
    line(b, "to embed", Long.toString(uniqueInputs - cacheHits - (overLimitFail ? overLimit : 0)));
    if (overLimit > 0) {
      line(
          b,
          "over the limit",
          overLimit
              + (overLimitFail
                  ? " (would fail; -o limit-policy=truncate to cut them)"
                  : " (would be truncated)"));
    }
    line(b, "tokens to send", Long.toString(tokens));
    line(b, inProcess ? "calls" : "requests", Long.toString(requests));
    String cost;
    if (inProcess) {
      cost = "$0 (runs in-process)";
    } else if (Double.isNaN(pricePerMillion)) {
      cost = "unknown for this model: pass --price-per-mtok";
    } else {
      cost =
          String.format(
              Locale.ROOT,
              "$%.4f (at $%s per million tokens)",
              estimatedCost(),
              stripZeros(pricePerMillion));
    }
    line(b, "estimated cost", cost);
    if (!Double.isNaN(batchPricePerMillion)) {
      line(
          b,
          "with --batch-api",
          String.format(
              Locale.ROOT,
              "$%.4f (OpenAI's Batch API: half the price, answered within 24 hours)",
              estimatedBatchCost()));
    }
    return b.toString();
  }

  private static String stripZeros(double d) {
    return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append(String.format(Locale.ROOT, "  %-15s %s%n", label, value));
  }

  /**
   * The estimate as JSON.
   *
   * @return the JSON text
   */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("dryRun", true);
    n.put("provider", provider);
    n.put("model", model);
    n.put("inputs", inputs);
    n.put("uniqueInputs", uniqueInputs);
    n.put("cacheHits", cacheHits);
    n.put("overLimit", overLimit);
    n.put("tokens", tokens);
    n.put("requests", requests);
    if (Double.isNaN(pricePerMillion)) {
      n.putNull("pricePerMillionTokens");
      n.putNull("estimatedCost");
    } else {
      n.put("pricePerMillionTokens", pricePerMillion);
      n.put("estimatedCost", estimatedCost());
    }
    if (Double.isNaN(batchPricePerMillion)) {
      n.putNull("estimatedBatchCost");
    } else {
      n.put("batchPricePerMillionTokens", batchPricePerMillion);
      n.put("estimatedBatchCost", estimatedBatchCost());
    }
    try {
      return JSON.writeValueAsString(n) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
