package io.batchwise.providers.openai.internal;

import io.batchwise.config.ConfigOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The options of the {@code openai} mapper (the chat agent behind {@code bw.mapper()}), in one
 * place. Its own keys are namespaced {@code openai.chat.}; it shares the server's options (key,
 * base URL, organization, project, connect timeout, plain-http opt-in) with the {@code openai}
 * embeddings provider and declares them too, so that they apply whichever of the two is selected
 * (its read timeout is at least {@code openai.chat.call-timeout}: a chat server sends nothing
 * before its whole answer is written).
 */
public final class ChatOptions {
  private ChatOptions() {}

  /** The chat model used unless configured. */
  public static final String DEFAULT_MODEL = "gpt-4o-mini";

  /**
   * Items per request unless configured: enough to amortize the instruction, few enough to keep
   * answers apart.
   */
  public static final int DEFAULT_ITEMS_PER_REQUEST = 20;

  /** Answer tokens predicted per item before any answer has been seen. */
  public static final int DEFAULT_ANSWER_TOKENS = 256;

  /** Which HTTP API the requests use. */
  public enum Api {
    /** {@code POST /chat/completions}, which every OpenAI-compatible server offers. */
    CHAT_COMPLETIONS("chat/completions"),
    /** {@code POST /responses}, OpenAI's Responses API. */
    RESPONSES("responses");

    final String path;

    Api(String path) {
      this.path = path;
    }
  }

  /** How the answers' format is asked for, strictest first; written as the API names it. */
  public enum Format {
    /** Structured output with the answers' JSON schema. */
    JSON_SCHEMA,
    /** Any JSON object. */
    JSON_OBJECT,
    /** Plain text. */
    TEXT;

    /**
     * @return the next weaker format, or null after {@link #TEXT}
     */
    Format weaker() {
      return this == TEXT ? null : values()[ordinal() + 1];
    }

    /**
     * @return the name the API gives it, e.g. {@code json_schema}
     */
    String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Model. */
  public static final ConfigOption<String> MODEL =
      ConfigOption.text(
          "openai.chat.model",
          DEFAULT_MODEL,
          "chat model the mapper sends items to (bw.mapper(), the command line's map)");

  /** Which API. */
  public static final ConfigOption<Api> API =
      ConfigOption.choice(
              "openai.chat.api",
              Api.class,
              "chat-completions (POST /chat/completions, every OpenAI-compatible server) or responses (POST /responses, OpenAI's Responses API)")
          .withDefault(Api.CHAT_COMPLETIONS);

  /** Structured output. */
  public static final ConfigOption<Format> RESPONSE_FORMAT =
      ConfigOption.choice(
              "openai.chat.response-format",
              Format.class,
              Format::apiName,
              "json_schema (structured output with the answers' schema), json_object or text; falls back by itself, for good, when the server rejects one")
          .withDefault(Format.JSON_SCHEMA);

  /** Context window. */
  public static final ConfigOption<Integer> CONTEXT_WINDOW =
      ConfigOption.integer(
          "openai.chat.context-window",
          256,
          Integer.MAX_VALUE,
          "the model's context window in tokens (prompt and answer together); required for models the mapper does not know");

  /** Most output tokens. */
  public static final ConfigOption<Integer> MAX_OUTPUT_TOKENS =
      ConfigOption.integer(
          "openai.chat.max-output-tokens",
          16,
          Integer.MAX_VALUE,
          "most tokens the model may write in one answer (max_completion_tokens); default: the known model's limit, else 4096");

  /** Predicted tokens per answer. */
  public static final ConfigOption<Integer> ANSWER_TOKENS =
      ConfigOption.integer(
          "openai.chat.answer-tokens",
          1,
          Integer.MAX_VALUE,
          "answer tokens reserved per item (counted in the context window and tokens-per-minute, and sent as max_completion_tokens); default: estimated from answers seen so far, 256 before any");

  /** Items per request. */
  public static final ConfigOption<Integer> ITEMS_PER_REQUEST =
      ConfigOption.integer(
              "openai.chat.items-per-request",
              1,
              1000,
              "most items packed into one request, 1-1000 (1: one request per item)")
          .withDefault(DEFAULT_ITEMS_PER_REQUEST);

  /** Temperature. */
  public static final ConfigOption<Double> TEMPERATURE =
      ConfigOption.decimal(
          "openai.chat.temperature",
          0,
          2,
          "sampling temperature 0-2 (part of the answer cache's key); default: the server's");

  /** Seed. */
  public static final ConfigOption<Long> SEED =
      ConfigOption.longInteger(
          "openai.chat.seed",
          Long.MIN_VALUE,
          Long.MAX_VALUE,
          "sampling seed (chat-completions only; part of the answer cache's key); default: none");

  /** Attempts per item. */
  public static final ConfigOption<Integer> ANSWER_ATTEMPTS =
      ConfigOption.integer(
              "openai.chat.answer-attempts",
              1,
              10,
              "times an item is asked before it fails, 1-10, when its answer is missing, duplicated, malformed, cut off or does not match the schema (a failed call is retried by max-attempts)")
          .withDefault(3);

  /** Call timeout. */
  public static final ConfigOption<Duration> CALL_TIMEOUT =
      ConfigOption.duration(
              "openai.chat.call-timeout",
              ConfigOption.POSITIVE,
              "longest one chat request may take, waiting for the whole answer included")
          .withDefault(Duration.ofSeconds(120));

  /** Tokenizer. */
  public static final ConfigOption<String> TOKENIZER =
      ConfigOption.text(
          "openai.chat.tokenizer",
          null,
          "tiktoken encoding to count prompt tokens with; default from the model (o200k_base for gpt-4o and later), else cl100k_base");

  /** Input price. */
  public static final ConfigOption<Double> INPUT_PRICE =
      ConfigOption.decimal(
          "openai.chat.input-price",
          0,
          1_000_000,
          "USD per million prompt tokens, for the cost in reports and dry runs; default: the known model's list price");

  /** Output price. */
  public static final ConfigOption<Double> OUTPUT_PRICE =
      ConfigOption.decimal(
          "openai.chat.output-price",
          0,
          1_000_000,
          "USD per million completion tokens; default: the known model's list price");

  /** The mapper's own options, in the order of the configuration reference. */
  public static final List<ConfigOption<?>> OWN =
      List.of(
          MODEL,
          API,
          RESPONSE_FORMAT,
          CONTEXT_WINDOW,
          MAX_OUTPUT_TOKENS,
          ANSWER_TOKENS,
          ITEMS_PER_REQUEST,
          TEMPERATURE,
          SEED,
          ANSWER_ATTEMPTS,
          CALL_TIMEOUT,
          TOKENIZER,
          INPUT_PRICE,
          OUTPUT_PRICE);

  /** Every option the mapper reads: the server's shared ones, then its own. */
  public static final List<ConfigOption<?>> ALL = all();

  private static List<ConfigOption<?>> all() {
    List<ConfigOption<?>> all =
        new ArrayList<>(
            List.of(
                OpenAiOptions.API_KEY,
                OpenAiOptions.BASE_URL,
                OpenAiOptions.ORGANIZATION,
                OpenAiOptions.PROJECT,
                OpenAiOptions.CONNECT_TIMEOUT,
                OpenAiOptions.READ_TIMEOUT,
                OpenAiOptions.ALLOW_INSECURE_HTTP));
    all.addAll(OWN);
    return List.copyOf(all);
  }
}
