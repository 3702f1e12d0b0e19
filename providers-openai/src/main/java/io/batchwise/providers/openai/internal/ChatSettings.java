package io.batchwise.providers.openai.internal;

import static io.batchwise.providers.openai.internal.ChatOptions.*;

import com.knuddels.jtokkit.api.EncodingType;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code openai.chat.*} options and the server's shared ones, read from {@link Config} and checked
 * together. Immutable; {@link #toString()} never shows the key.
 */
final class ChatSettings {
  /** The most output tokens assumed for a model this mapper does not know. */
  static final int UNKNOWN_MODEL_MAX_OUTPUT = 4096;

  /** Which HTTP API the requests use. */
  enum Api {
    CHAT_COMPLETIONS("chat/completions"),
    RESPONSES("responses");

    final String path;

    Api(String path) {
      this.path = path;
    }
  }

  /** How the answers' format is asked for, strictest first. */
  enum Format {
    JSON_SCHEMA,
    JSON_OBJECT,
    TEXT;

    /** @return the next weaker format, or null after {@link #TEXT} */
    Format weaker() {
      return this == TEXT ? null : values()[ordinal() + 1];
    }
  }

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
    this.model = config.require(MODEL.key());
    Optional<KnownChatModel> known = KnownChatModel.of(model);
    this.callTimeout = ConnectionSettings.positive(config, CALL_TIMEOUT);
    // a chat server sends nothing until it has written the whole answer: reading may take the whole call
    ConnectionSettings shared = ConnectionSettings.from(config);
    this.connection = shared.readTimeout.compareTo(callTimeout) >= 0 ? shared : shared.withReadTimeout(callTimeout);
    this.api = choice(config, API, Api.class);
    this.format = choice(config, RESPONSE_FORMAT, Format.class);
    if (known.isEmpty() && config.get(CONTEXT_WINDOW.key()).isEmpty()) {
      throw new ConfigurationException(
          "chat model '" + model + "' is not one the mapper knows (" + KnownChatModel.names()
              + "), so its context window must be given: set option '" + CONTEXT_WINDOW.key()
              + "' to the tokens the server accepts for prompt and answer together");
    }
    this.contextWindow = config.getInt(CONTEXT_WINDOW.key(),
        known.map(KnownChatModel::contextWindow).orElse(0), 256, Integer.MAX_VALUE);
    int defaultOutput = known.map(KnownChatModel::maxOutputTokens)
        .orElse(Math.min(UNKNOWN_MODEL_MAX_OUTPUT, contextWindow / 2));
    this.maxOutputTokens = config.getInt(MAX_OUTPUT_TOKENS.key(), defaultOutput, 16, contextWindow - 1);
    this.answerTokens = config.get(ANSWER_TOKENS.key()).isPresent()
        ? config.getInt(ANSWER_TOKENS.key(), DEFAULT_ANSWER_TOKENS, 1, maxOutputTokens) : null;
    this.itemsPerRequest = config.getInt(ITEMS_PER_REQUEST.key(), DEFAULT_ITEMS_PER_REQUEST, 1, 1000);
    this.temperature = config.get(TEMPERATURE.key()).map(v -> number(TEMPERATURE, v, 0, 2)).orElse(null);
    this.seed = config.get(SEED.key()).map(v -> (long) number(SEED, v, Long.MIN_VALUE, Long.MAX_VALUE))
        .orElse(null);
    if (seed != null && api == Api.RESPONSES) {
      throw new ConfigurationException("option '" + SEED.key() + "' is sent only to chat-completions;"
          + " the Responses API (" + API.key() + "=responses) has no seed: unset one of them");
    }
    this.answerAttempts = config.getInt(ANSWER_ATTEMPTS.key(), 3, 1, 10);
    this.encoding = config.get(TOKENIZER.key())
        .map(t -> TiktokenEncodings.encodingFor(t).orElseThrow(() -> new ConfigurationException(
            "option '" + TOKENIZER.key() + "' must be a tiktoken encoding or OpenAI model name, one of "
                + TiktokenEncodings.names() + ", was '" + t + "'")))
        .orElseGet(() -> TiktokenEncodings.encodingFor(model).orElse(EncodingType.CL100K_BASE));
    this.inputPrice = price(config, INPUT_PRICE, known.map(KnownChatModel::inputPrice).orElse(Double.NaN));
    this.outputPrice = price(config, OUTPUT_PRICE, known.map(KnownChatModel::outputPrice).orElse(Double.NaN));
    // a configured input price applies to cached tokens too: the cached rate is a known model's fact
    this.cachedInputPrice = config.get(INPUT_PRICE.key()).isPresent()
        ? inputPrice : known.map(KnownChatModel::cachedInputPrice).orElse(Double.NaN);
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

  /** @return the cost of the tokens in US dollars at the configured or list prices, NaN when unknown */
  double cost(long promptTokens, long cachedTokens, long completionTokens) {
    long uncached = Math.max(0, promptTokens - cachedTokens);
    return (uncached * inputPrice + Math.min(cachedTokens, promptTokens) * cachedInputPrice
        + completionTokens * outputPrice) / 1e6;
  }

  private static <E extends Enum<E>> E choice(Config config, ConfigOption option, Class<E> type) {
    String raw = config.require(option.key()).strip();
    String name = raw.toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new ConfigurationException("option '" + option.key() + "' must be one of "
        + java.util.Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', option == API ? '-' : '_')).toList()
        + ", was '" + raw + "'");
  }

  private static double number(ConfigOption option, String raw, double min, double max) {
    double d;
    try {
      d = Double.parseDouble(raw.strip());
    } catch (NumberFormatException e) {
      d = Double.NaN;
    }
    if (!(d >= min && d <= max)) {
      throw new ConfigurationException("option '" + option.key() + "' must be a number from " + fmt(min)
          + " to " + fmt(max) + ", was '" + raw + "'");
    }
    return d;
  }

  private static double price(Config config, ConfigOption option, double known) {
    return config.get(option.key()).map(v -> number(option, v, 0, 1_000_000)).orElse(known);
  }

  private static String fmt(double d) {
    return d == (long) d ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public String toString() {
    return "ChatSettings{" + connection + ", model=" + model + ", api=" + api + ", format=" + format
        + ", contextWindow=" + contextWindow + ", maxOutputTokens=" + maxOutputTokens + ", answerTokens="
        + (answerTokens == null ? "estimated" : answerTokens) + ", itemsPerRequest=" + itemsPerRequest
        + ", temperature=" + temperature + ", seed=" + seed + ", answerAttempts=" + answerAttempts
        + ", callTimeout=" + callTimeout + ", encoding=" + encoding.getName() + "}";
  }
}
