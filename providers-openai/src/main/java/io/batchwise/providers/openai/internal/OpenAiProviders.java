package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.providers.openai.RemoteEmbeddingProvider;
import io.batchwise.spi.FactoryContext;
import io.batchwise.spi.Tokenizer;
import java.time.Clock;

/**
 * Puts an {@code openai} provider together from its configuration: settings, tokenizer, one
 * {@link HttpTransport} (an OkHttp client with its own connection pool and threads), and the parts that build requests,
 * read responses and classify failures. The wiring is written here once.
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
    Tokenizer tokenizer = context.tokenizers().register(TiktokenEncodings.tokenizer(settings.encoding));
    HttpMeters meters = new HttpMeters(context.meterRegistry(), providerId, settings.model);
    Endpoint endpoint = new Endpoint(settings);
    JsonFactory json = EmbeddingResponseParser.jsonFactory(settings.dimensions);
    ObjectMapper mapper = new ObjectMapper(json);
    FailureClassifier classifier =
        new FailureClassifier(
            "POST " + endpoint, mapper, new SecretScrubber(settings.apiKey), Clock.systemUTC());
    HeaderRateLimitState rateLimits =
        new HeaderRateLimitState(settings.requestsPerMinute, settings.tokensPerMinute, System::nanoTime);
    HttpTransport transport = new HttpTransport(
        "the openai provider", settings.connection, settings.callTimeout, classifier, rateLimits, meters);
    return new OpenAiEmbeddingProvider(
        providerId, settings, tokenizer, transport, endpoint, json, classifier, rateLimits, meters);
  }
}
