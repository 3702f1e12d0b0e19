package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Writes the JSON body of one chat request, for the chat-completions API ({@code {"model",
 * "messages": [system, user], "max_completion_tokens", "response_format", ...}}) or the Responses
 * API ({@code {"model", "instructions", "input", "max_output_tokens", "text": {"format"}}}).
 * Immutable and thread-safe.
 */
final class ChatRequestWriter {
  private final ObjectMapper json;
  private final ChatSettings settings;

  /**
   * OpenAI's own servers want {@code max_completion_tokens}; other servers know {@code max_tokens}.
   */
  private final String maxTokensField;

  ChatRequestWriter(ObjectMapper json, ChatSettings settings) {
    this.json = json;
    this.settings = settings;
    String host = settings.connection.baseUrl.host();
    boolean openAi = host.equals("api.openai.com") || host.endsWith(".openai.com");
    this.maxTokensField = openAi ? "max_completion_tokens" : "max_tokens";
  }

  /**
   * The body of one request.
   *
   * @param prompt the run's prompt
   * @param schema the run's answer schema
   * @param items the request's items
   * @param format how to ask for the reply's format
   * @return UTF-8 JSON
   */
  byte[] write(
      ChatPrompt prompt, AnswerSchema schema, List<ChatItem> items, ChatOptions.Format format) {
    ObjectNode body = json.createObjectNode().put("model", settings.model);
    int maxTokens = prompt.maxReplyTokens(items);
    if (settings.api == ChatOptions.Api.CHAT_COMPLETIONS) {
      var messages = body.putArray("messages");
      messages.addObject().put("role", "system").put("content", prompt.system());
      messages.addObject().put("role", "user").put("content", prompt.user(items));
      body.put(maxTokensField, maxTokens);
      if (format == ChatOptions.Format.JSON_SCHEMA) {
        ObjectNode f = body.putObject("response_format").put("type", "json_schema");
        f.putObject("json_schema")
            .put("name", "answers")
            .put("strict", schema.strictCompatible())
            .set("schema", schema.replySchema(json));
      } else if (format == ChatOptions.Format.JSON_OBJECT) {
        body.putObject("response_format").put("type", "json_object");
      }
      if (settings.seed != null) {
        body.put("seed", settings.seed);
      }
    } else {
      body.put("instructions", prompt.system());
      body.put("input", prompt.user(items));
      body.put("max_output_tokens", maxTokens);
      body.put("store", false);
      ObjectNode f = body.putObject("text").putObject("format");
      if (format == ChatOptions.Format.JSON_SCHEMA) {
        f.put("type", "json_schema")
            .put("name", "answers")
            .put("strict", schema.strictCompatible())
            .set("schema", schema.replySchema(json));
      } else {
        f.put("type", format == ChatOptions.Format.JSON_OBJECT ? "json_object" : "text");
      }
    }
    if (settings.temperature != null) {
      body.put("temperature", settings.temperature);
    }
    try {
      return json.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(
          "writing JSON to memory failed", e); // cannot happen in memory
    }
  }
}
