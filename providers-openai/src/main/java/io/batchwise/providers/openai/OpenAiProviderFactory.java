package io.batchwise.providers.openai;

import io.batchwise.config.ConfigOption;
import io.batchwise.providers.openai.internal.OpenAiOptions;
import io.batchwise.providers.openai.internal.OpenAiProviders;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.FactoryContext;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code openai} provider: any OpenAI-compatible {@code /embeddings} endpoint — OpenAI, Azure
 * OpenAI, Ollama, vLLM, text-embeddings-inference, LM Studio, LocalAI — with the {@link
 * io.batchwise.spi.BatchStrategy#SINGLE_CALL} strategy: each call carries up to 2,048 inputs and
 * 300,000 tokens (8,191 per input), counted with the model's tiktoken encoding.
 *
 * <p>Options (each also {@code -Dbatchwise.<key>} or {@code BATCHWISE_<KEY>}):
 *
 * <ul>
 *   <li>{@code openai.api-key} (or {@code OPENAI_API_KEY}): required for api.openai.com and Azure;
 *       never printed. Sending it over plain http to a host other than loopback fails at creation
 *       unless {@code openai.allow-insecure-http=true}.
 *   <li>{@code openai.base-url} (or {@code OPENAI_BASE_URL}), default {@code
 *       https://api.openai.com/v1}.
 *   <li>{@code openai.model} (the core {@code model} option wins when set), default {@code
 *       text-embedding-3-small}; {@code openai.dimensions} shortens text-embedding-3 vectors and is
 *       required for models this provider does not know (any non-OpenAI model), since the vector
 *       length must be known before the first call (it is part of every cache key).
 *   <li>{@code openai.organization}, {@code openai.project}, {@code openai.user}.
 *   <li>{@code openai.encoding-format}: {@code base64} (default; falls back to {@code float} by
 *       itself when a server does not support it) or {@code float}.
 *   <li>{@code openai.azure-deployment}, {@code openai.azure-api-version}: Azure-style URLs and the
 *       {@code api-key} header.
 *   <li>{@code openai.max-inputs-per-request}, {@code openai.max-tokens-per-request}, {@code
 *       openai.max-tokens-per-input}: the call limits; {@code openai.tokenizer}: the encoding.
 *   <li>{@code openai.connect-timeout} (10s), {@code openai.read-timeout} (30s), {@code
 *       openai.call-timeout}: must be below the core {@code call-timeout} (the scheduler's timeout
 *       for each call, 30s by default), and is derived from it when unset (28s), so the provider's
 *       own timeout fires first, fails the call as retryable and cancels the HTTP exchange. For
 *       slow servers or very large calls raise the core {@code call-timeout}.
 *   <li>{@code openai.requests-per-minute}, {@code openai.tokens-per-minute}: your account's limits
 *       as the provider's {@link RemoteEmbeddingProvider#rateLimits()} reports them (default: the
 *       core {@code requests-per-minute} and {@code tokens-per-minute}, which the scheduler
 *       enforces); the provider also learns the limits from {@code x-ratelimit-*} headers.
 * </ul>
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().provider("openai").build()) { // OPENAI_API_KEY from the environment
 *   List<float[]> vectors = bw.embedder().embedAll(texts).vectors();
 * }
 * }</pre>
 *
 * <p>Public with a public no-argument constructor for {@link ServiceLoader}; cheap to create.
 */
public final class OpenAiProviderFactory implements EmbeddingProviderFactory {

  /** The provider id. */
  public static final String ID = "openai";

  /** Creates the factory; cheap, loads nothing. */
  public OpenAiProviderFactory() {}

  /**
   * @return {@value #ID}
   */
  @Override
  public String id() {
    return ID;
  }

  /**
   * @return every {@code openai.*} option
   */
  @Override
  public List<ConfigOption<?>> options() {
    return OpenAiOptions.ALL;
  }

  /**
   * @return the OpenAI embedding models, the default first
   */
  @Override
  public List<String> models() {
    return List.of("text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002");
  }

  /**
   * Creates the provider: checks the options, builds one HTTP client and connection pool, and
   * registers the model's tokenizer. Makes no network call.
   *
   * @param context configuration, meters, tokenizers
   * @return a {@link RemoteEmbeddingProvider}
   * @throws io.batchwise.config.ConfigurationException when an option is missing or invalid
   */
  @Override
  public EmbeddingProvider create(FactoryContext context) {
    return OpenAiProviders.create(ID, context);
  }
}
