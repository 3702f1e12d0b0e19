package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.config.ConfigurationException;
import io.batchwise.providers.openai.RemoteEmbeddingProvider;
import io.batchwise.spi.FactoryContext;
import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import java.time.Clock;

/**
 * Puts an {@code openai} provider together from its configuration: settings, tokenizer, one {@link
 * HttpTransport} (an OkHttp client with its own connection pool and threads), and the parts that
 * build requests, read responses and classify failures. The wiring is written here once.
 */
public final class OpenAiProviders {
  private OpenAiProviders() {}

  /**
   * Creates a provider.
   *
   * @param providerId the id it reports (the factory's id)
   * @param context configuration, meter registry and tokenizers
   * @return the provider, ready for calls
   * @throws io.batchwise.config.ConfigurationException when an option is missing or invalid
   */
  public static RemoteEmbeddingProvider create(String providerId, FactoryContext context) {
    OpenAiSettings settings = OpenAiSettings.from(context.config());
    Tokenizer tokenizer =
        context.tokenizers().register(TiktokenEncodings.tokenizer(settings.encoding));
    ModelInfo info = modelInfo(settings, tokenizer);
    HttpMeters meters = new HttpMeters(context.meterRegistry(), providerId, settings.model);
    Endpoint endpoint = new Endpoint(settings);
    JsonFactory json = EmbeddingResponseParser.jsonFactory(settings.dimensions);
    ObjectMapper mapper = new ObjectMapper(json);
    FailureClassifier classifier =
        new FailureClassifier(
            "POST " + endpoint, mapper, new SecretScrubber(settings.apiKey), Clock.systemUTC());
    HeaderRateLimitState rateLimits =
        new HeaderRateLimitState(
            settings.requestsPerMinute, settings.tokensPerMinute, System::nanoTime);
    HttpTransport transport =
        new HttpTransport(
            "the openai provider",
            settings.connection,
            settings.callTimeout,
            classifier,
            rateLimits,
            meters);
    return new OpenAiEmbeddingProvider(
        providerId,
        settings,
        info,
        tokenizer,
        transport,
        endpoint,
        json,
        classifier,
        rateLimits,
        meters);
  }

  /**
   * The limits of a call in the tokens the pipeline counts, which are the texts' own: the
   * configured per-input and per-request limits, less what the longer of the two prefixes adds to
   * each input (the server counts the prefixed texts).
   *
   * @param s the settings
   * @param tokenizer the tokenizer the limits are counted in
   * @return the model info
   * @throws ConfigurationException when a prefix leaves no room for text within a limit
   */
  static ModelInfo modelInfo(OpenAiSettings s, Tokenizer tokenizer) {
    InputType costlier = s.prefixes.costlier(prefix -> prefixTokens(tokenizer, prefix));
    int perPrefix = prefixTokens(tokenizer, s.prefixes.prefix(costlier));
    String prefix =
        "the "
            + costlier.id()
            + " prefix '"
            + s.prefixes.configured(costlier)
            + "' ('openai."
            + costlier.id()
            + "-prefix', "
            + perPrefix
            + " tokens with a margin)";
    int perInput = s.maxTokensPerInput - perPrefix;
    if (perInput < 1) {
      throw new ConfigurationException(
          prefix
              + " leaves no room for text within '"
              + OpenAiOptions.MAX_TOKENS_PER_INPUT.key()
              + "' ("
              + s.maxTokensPerInput
              + "); shorten it or raise the limit");
    }
    long perRequest = s.maxTokensPerRequest - (long) s.maxInputsPerRequest * perPrefix;
    if (perRequest < perInput) {
      throw new ConfigurationException(
          prefix
              + " on each of '"
              + OpenAiOptions.MAX_INPUTS_PER_REQUEST.key()
              + "' ("
              + s.maxInputsPerRequest
              + ") inputs leaves "
              + perRequest
              + " of '"
              + OpenAiOptions.MAX_TOKENS_PER_REQUEST.key()
              + "' ("
              + s.maxTokensPerRequest
              + "), less than one input may have ("
              + perInput
              + "); raise it or lower the inputs per request");
    }
    // a remote service: no micro-batches to pad
    return new ModelInfo(
        s.model,
        s.dimensions,
        s.normalized,
        s.maxInputsPerRequest,
        perInput,
        (int) perRequest,
        ModelInfo.NO_LIMIT);
  }

  /** The tokens a prefix adds to an input, plus one in case the join merges differently. */
  private static int prefixTokens(Tokenizer tokenizer, String prefix) {
    return prefix.isEmpty() ? 0 : tokenizer.count(prefix) + 1;
  }
}
