package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.map.Mapper;
import io.batchwise.map.MapperContext;
import io.batchwise.spi.Tokenizer;
import java.time.Clock;

/**
 * Puts the {@code openai} mapper together from its configuration: settings, tokenizer, the shared
 * HTTP transport and failure classification, the chat endpoint, the answer store over the
 * instance's cache. The wiring is written here once.
 */
public final class OpenAiMappers {
  private OpenAiMappers() {}

  /**
   * Creates a mapper.
   *
   * @param providerId the id its meters carry (the factory's id)
   * @param context configuration, meter registry, tokenizers, scheduler, cache and limits
   * @return the mapper, ready for runs; it makes no network call until the first
   * @throws io.batchwise.config.ConfigurationException when an option is missing or invalid
   */
  public static Mapper create(String providerId, MapperContext context) {
    ChatSettings settings = ChatSettings.from(context.config());
    Tokenizer tokenizer =
        context.tokenizers().register(TiktokenEncodings.tokenizer(settings.encoding));
    ObjectMapper json = new ObjectMapper();
    Endpoint endpoint = new Endpoint(settings.connection, settings.api.path);
    FailureClassifier classifier =
        new FailureClassifier(
            "POST " + endpoint,
            json,
            new SecretScrubber(settings.connection.apiKey),
            Clock.systemUTC());
    HeaderRateLimitState rateLimits = new HeaderRateLimitState(0, 0, System::nanoTime);
    HttpMeters meters = new HttpMeters(context.meterRegistry(), providerId, settings.model);
    HttpTransport transport =
        new HttpTransport(
            "the openai mapper",
            settings.connection,
            settings.callTimeout,
            classifier,
            rateLimits,
            meters);
    ChatService service =
        new ChatService(
            settings, tokenizer, json, transport, endpoint, classifier, rateLimits, meters);
    return new OpenAiMapper(
        service, context, AnswerStore.over(context.cache(), context.meterRegistry()));
  }
}
