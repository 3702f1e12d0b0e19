package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The error an OpenAI-compatible server put in a non-2xx body. Understands OpenAI's {@code
 * {"error":{"message","type","param","code"}}}, vLLM's flat {@code {"message","type","code"}},
 * text-embeddings-inference's {@code {"error":"…","error_type":"…"}}, FastAPI's {@code
 * {"detail":…}}, and falls back to the raw text.
 *
 * @param message the server's message, or null
 * @param type the error type, e.g. {@code invalid_request_error}, or null
 * @param code the error code, e.g. {@code insufficient_quota}, or null
 * @param param the parameter the error is about, e.g. {@code input}, or null
 */
record ApiError(String message, String type, String code, String param) {
  /** Longest raw body quoted when it is not JSON: enough for an HTML error page's gist. */
  private static final int MAX_RAW = 300;

  static final ApiError NONE = new ApiError(null, null, null, null);

  /**
   * Parses an error body.
   *
   * @param mapper the JSON mapper
   * @param body the body text (already bounded in size), possibly empty
   * @return what it says, never null
   */
  static ApiError parse(ObjectMapper mapper, String body) {
    if (body == null || body.isBlank()) {
      return NONE;
    }
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (Exception e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      String raw = body.strip();
      return new ApiError(
          raw.length() > MAX_RAW ? raw.substring(0, MAX_RAW) + "…" : raw, null, null, null);
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      return new ApiError(
          text(error, "message"), text(error, "type"), text(error, "code"), text(error, "param"));
    }
    if (error != null && error.isTextual()) {
      return new ApiError(error.asText(), text(root, "error_type"), text(root, "code"), null);
    }
    String message = text(root, "message");
    if (message == null && root.has("detail")) {
      JsonNode detail = root.get("detail");
      message = detail.isTextual() ? detail.asText() : detail.toString();
    }
    return new ApiError(message, text(root, "type"), text(root, "code"), text(root, "param"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }
}
