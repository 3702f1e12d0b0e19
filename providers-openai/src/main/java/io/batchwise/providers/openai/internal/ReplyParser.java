package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the model's text, {@code {"answers": [{"id": "17", "answer": ...}, ...]}}, entry by entry,
 * so that a reply cut off at the token limit or broken half-way still yields every entry before the
 * break. Also takes a bare array of entries, and text inside a Markdown code fence (models asked
 * for plain text sometimes add one). Thread-safe.
 */
final class ReplyParser {

  /**
   * The entries read.
   *
   * @param answers every answer by id as the reply gave it (an id answered twice has two)
   * @param problem what was wrong with the text where reading stopped, or null when it was read
   *     whole
   */
  record Parsed(Map<String, List<JsonNode>> answers, String problem) {}

  private final ObjectMapper mapper;

  ReplyParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Reads a reply's text.
   *
   * @param content the model's text
   * @return the entries read before any break, and the break
   */
  Parsed parse(String content) {
    Map<String, List<JsonNode>> answers = new HashMap<>();
    String text = unfenced(content);
    if (text.isBlank()) {
      return new Parsed(answers, "the reply was empty");
    }
    try (JsonParser p = mapper.getFactory().createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT) {
        if (!findAnswers(p)) {
          return new Parsed(answers, "the reply has no \"answers\" array");
        }
      } else if (t != JsonToken.START_ARRAY) {
        return new Parsed(answers, "the reply is not a JSON object with an \"answers\" array");
      }
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          return new Parsed(answers, "the reply ends inside its \"answers\" array");
        }
        if (t != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue; // not an entry: ignored, its item gets no answer from it
        }
        JsonNode entry = mapper.readTree(p);
        JsonNode id = entry.get("id");
        if (id != null && (id.isTextual() || id.isIntegralNumber()) && entry.has("answer")) {
          answers.computeIfAbsent(id.asText(), k -> new ArrayList<>(1)).add(entry.get("answer"));
        }
      }
      return new Parsed(answers, null);
    } catch (IOException e) {
      String m =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException j
              ? j.getOriginalMessage()
              : e.getMessage();
      return new Parsed(answers, "the reply is not valid JSON: " + m);
    }
  }

  /** Moves the parser into the value of the top-level {@code answers} field. */
  private static boolean findAnswers(JsonParser p) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("answers") && value == JsonToken.START_ARRAY) {
        return true;
      }
      p.skipChildren();
    }
    return false;
  }

  private static String unfenced(String content) {
    String t = content.strip();
    if (t.startsWith("```")) {
      int firstBreak = t.indexOf('\n');
      int end = t.lastIndexOf("```");
      if (firstBreak > 0 && end > firstBreak) {
        return t.substring(firstBreak + 1, end);
      }
      if (firstBreak > 0) {
        return t.substring(firstBreak + 1); // cut off before its closing fence
      }
    }
    return t;
  }
}
