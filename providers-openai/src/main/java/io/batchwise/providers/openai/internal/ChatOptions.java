package io.batchwise.providers.openai.internal;

import io.batchwise.config.ConfigOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of the {@code openai} mapper (the chat agent behind {@code bw.mapper()}), in one place.
 * Its own keys are namespaced {@code openai.chat.}; it shares the server's options (key, base URL,
 * organization, project, connect timeout, plain-http opt-in) with the {@code openai} embeddings
 * provider and declares them too, so that they apply whichever of the two is selected (its read
 * timeout is at least {@code openai.chat.call-timeout}: a chat server sends nothing before its whole
 * answer is written).
 */
public final class ChatOptions {
  private ChatOptions() {}

  /** The chat model used unless configured. */
  public static final String DEFAULT_MODEL = "gpt-4o-mini";
  /** Items per request unless configured: enough to amortize the instruction, few enough to keep answers apart. */
  public static final int DEFAULT_ITEMS_PER_REQUEST = 20;
  /** Answer tokens predicted per item before any answer has been seen. */
  public static final int DEFAULT_ANSWER_TOKENS = 256;

  /** Model. */
  public static final ConfigOption MODEL =
      ConfigOption.of("openai.chat.model", DEFAULT_MODEL,
          "chat model the mapper sends items to (bw.mapper(), the command line's map)");
  /** Which API. */
  public static final ConfigOption API =
      ConfigOption.of("openai.chat.api", "chat-completions",
          "chat-completions (POST /chat/completions, every OpenAI-compatible server) or responses (POST /responses, OpenAI's Responses API)");
  /** Structured output. */
  public static final ConfigOption RESPONSE_FORMAT =
      ConfigOption.of("openai.chat.response-format", "json_schema",
          "json_schema (structured output with the answers' schema), json_object or text; falls back by itself, for good, when the server rejects one");
  /** Context window. */
  public static final ConfigOption CONTEXT_WINDOW =
      ConfigOption.of("openai.chat.context-window", null,
          "the model's context window in tokens (prompt and answer together); required for models the mapper does not know");
  /** Most output tokens. */
  public static final ConfigOption MAX_OUTPUT_TOKENS =
      ConfigOption.of("openai.chat.max-output-tokens", null,
          "most tokens the model may write in one answer (max_completion_tokens); default: the known model's limit, else 4096");
  /** Predicted tokens per answer. */
  public static final ConfigOption ANSWER_TOKENS =
      ConfigOption.of("openai.chat.answer-tokens", null,
          "answer tokens reserved per item (counted in the context window and tokens-per-minute, and sent as max_completion_tokens); default: estimated from answers seen so far, 256 before any");
  /** Items per request. */
  public static final ConfigOption ITEMS_PER_REQUEST =
      ConfigOption.of("openai.chat.items-per-request", String.valueOf(DEFAULT_ITEMS_PER_REQUEST),
          "most items packed into one request, 1-1000 (1: one request per item)");
  /** Temperature. */
  public static final ConfigOption TEMPERATURE =
      ConfigOption.of("openai.chat.temperature", null,
          "sampling temperature 0-2 (part of the answer cache's key); default: the server's");
  /** Seed. */
  public static final ConfigOption SEED =
      ConfigOption.of("openai.chat.seed", null,
          "sampling seed (chat-completions only; part of the answer cache's key); default: none");
  /** Attempts per item. */
  public static final ConfigOption ANSWER_ATTEMPTS =
      ConfigOption.of("openai.chat.answer-attempts", "3",
          "times an item is asked before it fails, 1-10, when its answer is missing, duplicated, malformed, cut off or does not match the schema (a failed call is retried by max-attempts)");
  /** Call timeout. */
  public static final ConfigOption CALL_TIMEOUT =
      ConfigOption.of("openai.chat.call-timeout", "120s",
          "longest one chat request may take, waiting for the whole answer included");
  /** Tokenizer. */
  public static final ConfigOption TOKENIZER =
      ConfigOption.of("openai.chat.tokenizer", null,
          "tiktoken encoding to count prompt tokens with; default from the model (o200k_base for gpt-4o and later), else cl100k_base");
  /** Input price. */
  public static final ConfigOption INPUT_PRICE =
      ConfigOption.of("openai.chat.input-price", null,
          "USD per million prompt tokens, for the cost in reports and dry runs; default: the known model's list price");
  /** Output price. */
  public static final ConfigOption OUTPUT_PRICE =
      ConfigOption.of("openai.chat.output-price", null,
          "USD per million completion tokens; default: the known model's list price");

  /** The mapper's own options, in the order of the configuration reference. */
  public static final List<ConfigOption> OWN =
      List.of(MODEL, API, RESPONSE_FORMAT, CONTEXT_WINDOW, MAX_OUTPUT_TOKENS, ANSWER_TOKENS,
          ITEMS_PER_REQUEST, TEMPERATURE, SEED, ANSWER_ATTEMPTS, CALL_TIMEOUT, TOKENIZER, INPUT_PRICE,
          OUTPUT_PRICE);

  /** Every option the mapper reads: the server's shared ones, then its own. */
  public static final List<ConfigOption> ALL = all();

  private static List<ConfigOption> all() {
    List<ConfigOption> all = new ArrayList<>(List.of(
        OpenAiOptions.API_KEY, OpenAiOptions.BASE_URL, OpenAiOptions.ORGANIZATION, OpenAiOptions.PROJECT,
        OpenAiOptions.CONNECT_TIMEOUT, OpenAiOptions.READ_TIMEOUT, OpenAiOptions.ALLOW_INSECURE_HTTP));
    all.addAll(OWN);
    return List.copyOf(all);
  }
}
