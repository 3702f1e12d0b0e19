package io.batchwise.providers.openai;

import io.batchwise.config.ConfigOption;
import io.batchwise.map.Mapper;
import io.batchwise.map.MapperContext;
import io.batchwise.map.MapperFactory;
import io.batchwise.providers.openai.internal.ChatOptions;
import io.batchwise.providers.openai.internal.OpenAiMappers;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code openai} mapper behind {@code bw.mapper()}: runs an instruction over many items through
 * any OpenAI-compatible chat endpoint — OpenAI's {@code /chat/completions} (or its Responses API,
 * {@code openai.chat.api=responses}), vLLM, Ollama, LM Studio, LocalAI — several items per request,
 * one JSON answer per item by id, structured output with the answers' JSON schema where the server
 * supports it.
 *
 * <p>It shares the server's options with the {@code openai} embeddings provider ({@code
 * openai.api-key} or {@code OPENAI_API_KEY}, {@code openai.base-url}, {@code openai.organization},
 * {@code openai.project}, the timeouts) and has its own, {@code openai.chat.*}: the model (default
 * {@code gpt-4o-mini}), its context window (required for models it does not know), the answer
 * tokens predicted per item, items per request, temperature and seed, attempts per item, the call
 * timeout and prices. Its calls use the same failure classification, retries, rate-limit headers,
 * secret handling and HTTP meters as the embeddings provider.
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().cache("sqlite").build()) {   // OPENAI_API_KEY from the environment
 *   MapResult r = bw.mapper().mapAll(reviews, "Is the review positive?", "{\"type\":\"boolean\"}");
 * }
 * }</pre>
 *
 * <p>Public with a public no-argument constructor for {@link ServiceLoader}; cheap to create.
 */
public final class OpenAiMapperFactory implements MapperFactory {

  /** The mapper id. */
  public static final String ID = "openai";

  /** Creates the factory; cheap, loads nothing. */
  public OpenAiMapperFactory() {}

  /**
   * @return {@value #ID}
   */
  @Override
  public String id() {
    return ID;
  }

  /**
   * @return the server's shared {@code openai.*} options and every {@code openai.chat.*} option
   */
  @Override
  public List<ConfigOption<?>> options() {
    return ChatOptions.ALL;
  }

  /**
   * Creates the mapper: checks the options, builds its HTTP client and registers the model's
   * tokenizer. Makes no network call.
   *
   * @param context configuration, meters, tokenizers, the instance's scheduler, cache and limits
   * @return the mapper
   * @throws io.batchwise.config.ConfigurationException when an option is missing or invalid
   */
  @Override
  public Mapper create(MapperContext context) {
    return OpenAiMappers.create(ID, context);
  }
}
