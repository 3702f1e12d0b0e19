package io.batchwise.providers.openai.internal;

import static io.batchwise.providers.openai.internal.ChatOptions.*;

import com.knuddels.jtokkit.api.EncodingType;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code openai.chat.*} options and the server's shared ones, read from {@link Config} and
 * checked together. Immutable; {@link #toString()} never shows the key.
 */
final class ChatSettings {
  /** The most output tokens assumed for a model this mapper does not know. */
  static final int UNKNOWN_MODEL_MAX_OUTPUT = 4096;

  final ConnectionSettings connection;
  final String model;
  final Api api;
  final Format format;
  final int contextWindow;
  final int maxOutputTokens;
  final Integer answerTokens; // null: estimate
  final int itemsPerRequest;
  final Double temperature;
  final Long seed;
  final int answerAttempts;
  final Duration callTimeout;
  final EncodingType encoding;
  final double inputPrice; // NaN: unknown
  final double cachedInputPrice;
  final double outputPrice;

  private ChatSettings(Config config) {
    this.model = config.get(MODEL);
    Optional<KnownChatModel> known = KnownChatModel.of(model);
    this.callTimeout = config.get(CALL_TIMEOUT);
    // a chat server sends nothing until it has written the whole answer: reading may take the whole
    // call
    ConnectionSettings shared = ConnectionSettings.from(config);
    this.connection =
        shared.readTimeout.compareTo(callTimeout) >= 0
            ? shared
            : shared.withReadTimeout(callTimeout);
    this.api = config.get(API);
    this.format = config.get(RESPONSE_FORMAT);
    Optional<Integer> window = config.find(CONTEXT_WINDOW);
    if (known.isEmpty() && window.isEmpty()) {
      throw new ConfigurationException(
          "chat model '"
              + model
              + "' is not one the mapper knows ("
              + KnownChatModel.names()
              + "), so its context window must be given: set option '"
              + CONTEXT_WINDOW.key()
              + "' to the tokens the server accepts for prompt and answer together");
    }
    this.contextWindow = window.orElseGet(() -> known.get().contextWindow());
    int defaultOutput =
        known
            .map(KnownChatModel::maxOutputTokens)
            .orElse(Math.min(UNKNOWN_MODEL_MAX_OUTPUT, contextWindow / 2));
    // the answer must leave room for a prompt, and an item's answer fit in one answer
    this.maxOutputTokens =
        config.find(MAX_OUTPUT_TOKENS.atMost(contextWindow - 1)).orElse(defaultOutput);
    this.answerTokens = config.find(ANSWER_TOKENS.atMost(maxOutputTokens)).orElse(null);
    this.itemsPerRequest = config.get(ITEMS_PER_REQUEST);
    this.temperature = config.find(TEMPERATURE).orElse(null);
    this.seed = config.find(SEED).orElse(null);
    if (seed != null && api == Api.RESPONSES) {
      throw new ConfigurationException(
          "option '"
              + SEED.key()
              + "' is sent only to chat-completions;"
              + " the Responses API ("
              + API.key()
              + "=responses) has no seed: unset one of them");
    }
    this.answerAttempts = config.get(ANSWER_ATTEMPTS);
    this.encoding =
        config
            .find(TOKENIZER)
            .map(
                t ->
                    TiktokenEncodings.encodingFor(t)
                        .orElseThrow(
                            () ->
                                new ConfigurationException(
                                    "option '"
                                        + TOKENIZER.key()
                                        + "' must be a tiktoken encoding or OpenAI model name, one of "
                                        + TiktokenEncodings.names()
                                        + ", was '"
                                        + t
                                        + "'")))
            .orElseGet(() -> TiktokenEncodings.encodingFor(model).orElse(EncodingType.CL100K_BASE));
    Optional<Double> configuredInputPrice = config.find(INPUT_PRICE);
    this.inputPrice =
        configuredInputPrice.orElseGet(
            () -> known.map(KnownChatModel::inputPrice).orElse(Double.NaN));
    this.outputPrice =
        config
            .find(OUTPUT_PRICE)
            .orElseGet(() -> known.map(KnownChatModel::outputPrice).orElse(Double.NaN));
    // a configured input price applies to cached tokens too: the cached rate is a known model's
    // fact
    this.cachedInputPrice =
        configuredInputPrice.isPresent()
            ? inputPrice
            : known.map(KnownChatModel::cachedInputPrice).orElse(Double.NaN);
    connection.checkKeyAndTransport(false);
  }

  /**
   * Reads and checks every option.
   *
   * @param config the configuration; it must know the mapper's options
   * @return the settings
   * @throws ConfigurationException naming the option, the bad value and what is allowed
   */
  static ChatSettings from(Config config) {
    return new ChatSettings(config);
  }

  /**
   * @return the cost of the tokens in US dollars at the configured or list prices, NaN when unknown
   */
  double cost(long promptTokens, long cachedTokens, long completionTokens) {
    long uncached = Math.max(0, promptTokens - cachedTokens);
    return (uncached * inputPrice
            + Math.min(cachedTokens, promptTokens) * cachedInputPrice
            + completionTokens * outputPrice)
        / 1e6;
  }

  @Override
  public String toString() {
    return "ChatSettings{"
        + connection
        + ", model="
        + model
        + ", api="
        + api
        + ", format="
        + format
        + ", contextWindow="
        + contextWindow
        + ", maxOutputTokens="
        + maxOutputTokens
        + ", answerTokens="
        + (answerTokens == null ? "estimated" : answerTokens)
        + ", itemsPerRequest="
        + itemsPerRequest
        + ", temperature="
        + temperature
        + ", seed="
        + seed
        + ", answerAttempts="
        + answerAttempts
        + ", callTimeout="
        + callTimeout
        + ", encoding="
        + encoding.getName()
        + "}";
  }
}
