package io.batchwise.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchwise.Batchwise;
import io.batchwise.Embedder;
import io.batchwise.config.CoreOptions;
import io.batchwise.internal.embed.Packers;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What an embed would do, without calling the provider: it reads and tokenizes every input, looks the
 * distinct texts up in the cache, packs the misses into calls with the pipeline's own packers (for
 * the provider's strategy and limits) and prices the tokens. Immutable.
 *
 * @param provider the provider id
 * @param model the model id
 * @param inputs inputs read
 * @param uniqueInputs distinct texts
 * @param cacheHits distinct texts the cache already holds
 * @param overLimit distinct texts to embed that exceed the per-input token limit
 * @param overLimitFail whether those would fail (the {@code fail} policy) rather than be truncated
 * @param tokens tokens that would be sent (after truncation; texts that would fail excluded)
 * @param requests provider calls it would take
 * @param inProcess whether the provider runs in-process (no per-token price)
 * @param pricePerMillion dollars per million tokens, NaN when unknown
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
    double pricePerMillion) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Estimates a job.
   *
   * @param bw the configured instance (its provider is created, but never called)
   * @param texts every input text, in order
   * @param priceOverride dollars per million tokens from {@code --price-per-mtok}, or null
   * @return the estimate
   */
  static DryRun estimate(Batchwise bw, List<String> texts, Double priceOverride) {
    Embedder embedder = ProviderOptions.embedder(bw);
    EmbeddingProvider provider = bw.provider();
    ModelInfo info = embedder.modelInfo();
    Tokenizer tokenizer = provider.tokenizer();
    LimitPolicy policy = bw.config().get(CoreOptions.LIMIT_POLICY.key())
        .map(v -> LimitPolicy.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_')))
        .orElse(provider.defaultLimitPolicy());
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(texts));
    String namespace = CacheKey.namespace(embedder.providerId(), info);
    List<CacheKey> keys = unique.stream().map(t -> CacheKey.of(namespace, t)).toList();
    Map<CacheKey, float[]> hits = bw.cache().getAll(keys);
    List<Integer> toSend = new ArrayList<>();
    long overLimit = 0;
    for (int i = 0; i < unique.size(); i++) {
      if (hits.containsKey(keys.get(i))) {
        continue;
      }
      // as the pipeline holds each input to the limit: an input over it is read only as far as its cut
      TokenFit fit = tokenizer.fit(unique.get(i), info.maxTokensPerInput());
      if (fit.truncated()) {
        overLimit++;
        if (policy == LimitPolicy.FAIL) {
          continue;
        }
      }
      toSend.add(fit.tokens());
    }
    long tokens = toSend.stream().mapToLong(Integer::longValue).sum();
    boolean inProcess = provider.batchStrategy() == BatchStrategy.PARALLEL_GATHER;
    int[] counts = toSend.stream().mapToInt(Integer::intValue).toArray();
    // packed by the pipeline's own packers, so the count is the calls the embed would make
    long requests = inProcess
        ? Packers.parallelGather(counts, info.maxInputsPerCall(), info.maxTokensPerCall()).size()
        : Packers.singleCall(counts, info.maxInputsPerCall(), info.maxTokensPerCall()).size();
    OptionalDouble known = ModelPrices.perMillionTokens(embedder.providerId(), info.modelId());
    double price = priceOverride != null ? priceOverride
        : inProcess ? 0 : known.isPresent() ? known.getAsDouble() : Double.NaN;
    return new DryRun(embedder.providerId(), info.modelId(), texts.size(), unique.size(), hits.size(),
        overLimit, policy == LimitPolicy.FAIL, tokens, requests, inProcess, price);
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
   * The estimate as aligned lines.
   *
   * @return the text
   */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append("dry run: nothing was sent to ").append(provider).append('/').append(model).append('\n');
    line(b, "inputs", Long.toString(inputs));
    line(b, "unique inputs", Long.toString(uniqueInputs));
    line(b, "cache hits", Long.toString(cacheHits));
    line(b, "to embed", Long.toString(uniqueInputs - cacheHits - (overLimitFail ? overLimit : 0)));
    if (overLimit > 0) {
      line(b, "over the limit", overLimit + (overLimitFail ? " (would fail; -o limit-policy=truncate to cut them)"
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
      cost = String.format(Locale.ROOT, "$%.4f (at $%s per million tokens)", estimatedCost(),
          stripZeros(pricePerMillion));
    }
    line(b, "estimated cost", cost);
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
    try {
      return JSON.writeValueAsString(n) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
