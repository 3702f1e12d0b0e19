package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * What one chat request got back: the model's text, whether it was cut off at the token limit, and
 * the tokens the server counted.
 *
 * @param content the model's text; empty when it wrote none
 * @param cutOff whether the reply stopped at {@code max_tokens} ({@code finish_reason: length}, or
 *     the Responses API's {@code incomplete_details.reason: max_output_tokens})
 * @param refusal the model's refusal or the reason the reply stopped other than the limit (a
 *     content filter), or null
 * @param promptTokens {@code usage.prompt_tokens} (or {@code input_tokens}), -1 when not reported
 * @param completionTokens {@code usage.completion_tokens} (or {@code output_tokens}), -1 when not
 *     reported
 * @param cachedTokens prompt tokens served from the server's prompt cache, 0 when not reported
 */
record ChatReply(
    String content,
    boolean cutOff,
    String refusal,
    long promptTokens,
    long completionTokens,
    long cachedTokens) {

  /**
   * Reads a 2xx body.
   *
   * @param mapper reads JSON
   * @param body the body, already bounded in size
   * @param api which API answered
   * @return the reply
   * @throws IOException when the body cannot be read
   * @throws InvalidResponseException when it is not JSON (retryable: a cut body) or lacks the reply
   */
  static ChatReply read(ObjectMapper mapper, InputStream body, ChatOptions.Api api)
      throws IOException, InvalidResponseException {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidResponseException(
          "the body is not complete JSON: " + e.getOriginalMessage(), true, e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidResponseException("the body is not a JSON object", true, null);
    }
    return api == ChatOptions.Api.CHAT_COMPLETIONS ? chat(root) : responses(root);
  }

  private static ChatReply chat(JsonNode root) throws InvalidResponseException {
    JsonNode choice = root.path("choices").path(0);
    if (!choice.isObject()) {
      throw new InvalidResponseException("the body has no choices[0]", false, null);
    }
    JsonNode message = choice.path("message");
    String content = message.path("content").isTextual() ? message.path("content").asText() : "";
    String finish = choice.path("finish_reason").asText("");
    String refusal =
        message.path("refusal").isTextual()
            ? "the model refused: " + message.path("refusal").asText()
            : finish.equals("content_filter")
                ? "the server's content filter stopped the reply"
                : null;
    JsonNode usage = root.path("usage");
    return new ChatReply(
        content,
        finish.equals("length"),
        refusal,
        usage.path("prompt_tokens").asLong(-1),
        usage.path("completion_tokens").asLong(-1),
        usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
  }

  private static ChatReply responses(JsonNode root) throws InvalidResponseException {
    JsonNode output = root.path("output");
    if (!output.isArray()) {
      throw new InvalidResponseException("the body has no output array", false, null);
    }
    StringBuilder text = new StringBuilder();
    String refusal = null;
    for (JsonNode item : output) {
      for (JsonNode part : item.path("content")) {
        String type = part.path("type").asText("");
        if (type.equals("output_text")) {
          text.append(part.path("text").asText(""));
        } else if (type.equals("refusal")) {
          refusal = "the model refused: " + part.path("refusal").asText("");
        }
      }
    }
    String reason = root.path("incomplete_details").path("reason").asText("");
    boolean incomplete = root.path("status").asText("").equals("incomplete");
    if (refusal == null && incomplete && reason.equals("content_filter")) {
      refusal = "the server's content filter stopped the reply";
    }
    JsonNode usage = root.path("usage");
    return new ChatReply(
        text.toString(),
        incomplete && reason.equals("max_output_tokens"),
        refusal,
        usage.path("input_tokens").asLong(-1),
        usage.path("output_tokens").asLong(-1),
        usage.path("input_tokens_details").path("cached_tokens").asLong(0));
  }
}
