package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON Schema every answer of a run must match, compiled once and checked with the networknt
 * json-schema-validator (draft 2020-12 unless the schema names another with {@code $schema}).
 *
 * <p>A schema is data, never configuration: it may refer to its own parts ({@code #/$defs/...}) and
 * to the meta-schemas the validator ships, but nothing in it makes the validator fetch anything — a
 * {@code $ref} to any other URL fails the schema when it is compiled. Immutable and thread-safe.
 */
final class AnswerSchema {
  /** Schema errors quoted in an answer's failure: enough to see what is wrong, bounded for logs. */
  private static final int MAX_ERRORS_QUOTED = 3;

  /** Keys sorted, no indentation: one text per schema, whatever its layout in the file. */
  static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private final JsonNode node; // null: any JSON value
  private final Schema schema;
  private final String canonical;

  private AnswerSchema(JsonNode node, Schema schema, String canonical) {
    this.node = node;
    this.schema = schema;
    this.canonical = canonical;
  }

  /** Any JSON value is an answer. */
  static final AnswerSchema ANY = new AnswerSchema(null, null, "");

  /**
   * Compiles a schema.
   *
   * @param text the schema as JSON text, or null for {@link #ANY}
   * @return the compiled schema
   * @throws IllegalArgumentException when the text is not JSON, not an object or boolean schema, or
   *     not a schema the validator can compile (a reference it cannot resolve without fetching, an
   *     unknown {@code $schema}); the message says where
   */
  static AnswerSchema compile(String text) {
    if (text == null) {
      return ANY;
    }
    JsonNode node;
    try {
      node = CANONICAL.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the answer schema is not valid JSON: "
              + e.getOriginalMessage()
              + " (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    }
    if (node == null || !(node.isObject() || node.isBoolean())) {
      throw new IllegalArgumentException(
          "the answer schema must be a JSON object (or true/false), was "
              + (node == null ? "empty" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
    }
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
    Schema schema;
    try {
      schema = registry.getSchema(node);
      schema.validate(
          node); // resolves its references now, so that a bad one fails here, not per answer
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the answer schema cannot be used: " + e.getMessage(), e);
    }
    try {
      return new AnswerSchema(
          node, schema, CANONICAL.writeValueAsString(CANONICAL.treeToValue(node, Object.class)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "re-writing a parsed schema failed", e); // cannot happen in memory
    }
  }

  /**
   * @return the schema, or null for any JSON value
   */
  JsonNode node() {
    return node;
  }

  /**
   * @return the schema as text with keys sorted, empty for {@link #ANY}: part of the cache key
   */
  String canonical() {
    return canonical;
  }

  /**
   * Checks one answer.
   *
   * @param answer the answer
   * @return null when it matches, else what is wrong (the first few errors, with their places)
   */
  String problems(JsonNode answer) {
    if (schema == null) {
      return null;
    }
    List<Error> errors = schema.validate(answer);
    if (errors.isEmpty()) {
      return null;
    }
    return errors.stream()
            .limit(MAX_ERRORS_QUOTED)
            .map(Error::toString)
            .collect(Collectors.joining("; "))
        + (errors.size() > MAX_ERRORS_QUOTED
            ? " (and " + (errors.size() - MAX_ERRORS_QUOTED) + " more)"
            : "");
  }

  /**
   * Whether OpenAI's strict structured output accepts this schema as it is: every object lists all
   * its properties as required and forbids others. A schema that does not is sent with {@code
   * strict: false}, as guidance, and every answer is still checked here.
   *
   * @return true when strict mode can be asked for
   */
  boolean strictCompatible() {
    return node != null && node.isObject() && strict(node);
  }

  private static boolean strict(JsonNode n) {
    if (n.isArray()) {
      for (JsonNode child : n) {
        if (!strict(child)) {
          return false;
        }
      }
      return true;
    }
    if (!n.isObject()) {
      return true;
    }
    JsonNode properties = n.get("properties");
    boolean isObject = properties != null || "object".equals(n.path("type").asText(null));
    if (isObject) {
      if (!n.path("additionalProperties").isBoolean()
          || n.path("additionalProperties").asBoolean()) {
        return false;
      }
      JsonNode required = n.path("required");
      if (properties != null) {
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
          String name = it.next();
          boolean listed = false;
          for (JsonNode r : required) {
            listed |= name.equals(r.asText());
          }
          if (!listed) {
            return false;
          }
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!"enum".equals(e.getKey()) && !"const".equals(e.getKey()) && !strict(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The schema of the whole reply: {@code {"answers": [{"id": string, "answer": <this schema>}]}}.
   *
   * @param mapper makes the nodes
   * @return the reply's schema
   */
  ObjectNode replySchema(ObjectMapper mapper) {
    ObjectNode entry = mapper.createObjectNode().put("type", "object");
    ObjectNode props = entry.putObject("properties");
    props.putObject("id").put("type", "string");
    ObjectNode reply = mapper.createObjectNode().put("type", "object");
    if (node != null && node.isObject()) {
      // "#/$defs/x" inside the answer's schema means the reply's root once it is nested: move them
      // there
      ObjectNode answer = ((ObjectNode) node).deepCopy();
      for (String defs : new String[] {"$defs", "definitions"}) {
        JsonNode moved = answer.remove(defs);
        if (moved != null) {
          reply.set(defs, moved);
        }
      }
      answer.remove("$schema");
      answer.remove("$id");
      props.set("answer", answer);
    } else if (node != null) {
      props.set("answer", node);
    } else {
      props.putObject("answer"); // {}: any JSON value
    }
    entry.putArray("required").add("id").add("answer");
    entry.put("additionalProperties", false);
    ObjectNode answers = reply.putObject("properties").putObject("answers").put("type", "array");
    answers.set("items", entry);
    reply.putArray("required").add("answers");
    reply.put("additionalProperties", false);
    return reply;
  }
}
