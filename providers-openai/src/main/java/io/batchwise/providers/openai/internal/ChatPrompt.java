package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.spi.Tokenizer;
import java.util.List;

/**
 * The words of a request and what they cost in tokens: the system message (the user's instruction,
 * then how to answer), the user message (one JSON line per item), and the reply's frame. Everything
 * a request holds besides its items is counted once, as {@link #fixedTokens()}; each item's share
 * is counted when it is measured ({@link #measure}), so a batch's tokens are the fixed part plus
 * its items', the predicted answers included. Immutable and thread-safe.
 */
final class ChatPrompt {
  /** Tokens the chat format adds per message (role and separators) and to prime the reply. */
  static final int TOKENS_PER_MESSAGE = 3;

  static final int REPLY_PRIMING_TOKENS = 3;

  /**
   * Spare tokens per request: counting a request's parts apart can differ from counting it whole by
   * a token where two parts meet, and a server's tokenizer may count a few more.
   */
  static final int SAFETY_TOKENS = 16;

  static final String USER_HEADER = "Items, one JSON object per line:\n";

  /** The reply's frame around its entries. */
  static final String REPLY_FRAME = "{\"answers\":[]}";

  private final String system;
  private final Tokenizer tokenizer;
  private final ObjectMapper json;
  private final int promptFixedTokens;
  private final int fixedTokens;

  /**
   * @param instruction the user's instruction
   * @param schema the answers' schema
   * @param tokenizer counts tokens as the model does (or close to it)
   * @param json writes JSON strings
   */
  ChatPrompt(String instruction, AnswerSchema schema, Tokenizer tokenizer, ObjectMapper json) {
    this.tokenizer = tokenizer;
    this.json = json;
    this.system =
        instruction.strip()
            + "\n\n"
            + "You are given items as JSON lines, each {\"id\": ..., \"text\": ...}. Apply the instruction above"
            + " to each item's text on its own.\n"
            + "Reply with one JSON object and nothing else: {\"answers\": [{\"id\": \"<the item's id>\", \"answer\":"
            + " <the answer>}, ...]}, with exactly one entry per item, each id copied exactly as given.\n"
            + (schema.node() == null
                ? "Each answer is a JSON value (a JSON string for text)."
                : "Each answer must be JSON matching this JSON Schema: " + schema.canonical());
    this.promptFixedTokens =
        tokenizer.count(system)
            + tokenizer.count(USER_HEADER)
            + 2 * TOKENS_PER_MESSAGE
            + REPLY_PRIMING_TOKENS;
    this.fixedTokens = promptFixedTokens + tokenizer.count(REPLY_FRAME) + SAFETY_TOKENS;
  }

  /**
   * @return the system message
   */
  String system() {
    return system;
  }

  /**
   * @return the prompt tokens of a request besides its items' lines
   */
  int promptFixedTokens() {
    return promptFixedTokens;
  }

  /**
   * @return the tokens of a request besides its items and their answers: the prompt's, the reply's
   *     frame, and a few spare
   */
  int fixedTokens() {
    return fixedTokens;
  }

  /**
   * Measures an item for its first request.
   *
   * @param id its id in the prompt
   * @param text the item
   * @param answerTokens the tokens predicted for its answer
   * @param maxBatch the most items per request
   * @return the item
   */
  ChatItem measure(long id, String text, int answerTokens, int maxBatch) {
    int line = tokenizer.count(line(id, text));
    int envelope = tokenizer.count("{\"id\":\"" + id + "\",\"answer\":},");
    return new ChatItem(id, text, line, envelope, answerTokens, 0, maxBatch, null);
  }

  /**
   * The user message of a request.
   *
   * @param items the request's items
   * @return the header and one line per item
   */
  String user(List<ChatItem> items) {
    StringBuilder b = new StringBuilder(USER_HEADER);
    for (ChatItem item : items) {
      b.append(line(item.id(), item.text()));
    }
    return b.toString();
  }

  /**
   * The most answer tokens a request of these items may need: each item's entry and predicted
   * answer, and the reply's frame.
   *
   * @param items the request's items
   * @return the value of {@code max_completion_tokens}
   */
  int maxReplyTokens(List<ChatItem> items) {
    long sum = tokenizer.count(REPLY_FRAME);
    for (ChatItem item : items) {
      sum += item.replyTokens();
    }
    return (int) Math.min(Integer.MAX_VALUE, sum);
  }

  /** One item's line: {@code {"id":"17","text":"..."}} and a line break, counted with the break. */
  private String line(long id, String text) {
    try {
      return "{\"id\":\"" + id + "\",\"text\":" + json.writeValueAsString(text) + "}\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "writing a JSON string failed", e); // cannot happen for a String
    }
  }
}
