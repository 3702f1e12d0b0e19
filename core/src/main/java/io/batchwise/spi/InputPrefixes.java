package io.batchwise.spi;

import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * A model's query and document prefixes, e5, bge and nomic style ({@code "query: "} and {@code
 * "passage: "}; {@code "search_query: "} and {@code "search_document: "}), for a provider that
 * applies them per call by the {@link CallContext#inputType()}. Each is held as configured, without
 * the space that joins it to a text (configuration values are stripped); the empty string means
 * none.
 *
 * <p>Both prefixes are part of the vectors' identity ({@link #addTo}): with the input type, which
 * the pipeline adds per embed, they say which prefix a vector got, and an index built from
 * documents records them to be searched with queries of the same model. Immutable and thread-safe.
 *
 * <pre>{@code
 * InputPrefixes prefixes = new InputPrefixes("query:", "passage:");
 * prefixes.apply(context.inputType(), "what is a sourdough starter?"); // "query: what is a sourdough starter?"
 * }</pre>
 *
 * @param query the prefix of queries as configured, e.g. {@code query:}, or empty
 * @param document the prefix of documents as configured, e.g. {@code passage:}, or empty
 */
public record InputPrefixes(String query, String document) {
  /** No prefix for either type. */
  public static final InputPrefixes NONE = new InputPrefixes("", "");

  /** Checks both are present (empty for none). */
  public InputPrefixes {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(document, "document");
  }

  /**
   * Whether neither type has a prefix.
   *
   * @return true when both are empty
   */
  public boolean none() {
    return query.isEmpty() && document.isEmpty();
  }

  /**
   * What is put before each text of a call of {@code type}: the configured prefix followed by one
   * space, or the empty string when that type has none.
   *
   * @param type the call's input type
   * @return the text to prepend
   */
  public String prefix(InputType type) {
    String configured = configured(type);
    return configured.isEmpty() ? "" : configured + " ";
  }

  /**
   * The prefix of {@code type} as configured, without the joining space.
   *
   * @param type an input type
   * @return the configured prefix, or empty
   */
  public String configured(InputType type) {
    return type == InputType.QUERY ? query : document;
  }

  /**
   * {@code text} as the model is given it for {@code type}: {@link #prefix} and the text.
   *
   * @param type the call's input type
   * @param text the text
   * @return the prefixed text, or {@code text} itself when the type has no prefix
   */
  public String apply(InputType type, String text) {
    String prefix = prefix(type);
    return prefix.isEmpty() ? text : prefix + text;
  }

  /**
   * The input type whose prefix is the longer in {@code tokens}, whose cost a per-input limit must
   * leave room for (a limit holds for both types).
   *
   * @param tokens the tokens a prefix adds, by the provider's tokenizer
   * @return the costlier type; {@link InputType#DOCUMENT} on a tie
   */
  public InputType costlier(ToIntFunction<String> tokens) {
    return tokens.applyAsInt(prefix(InputType.QUERY))
            > tokens.applyAsInt(prefix(InputType.DOCUMENT))
        ? InputType.QUERY
        : InputType.DOCUMENT;
  }

  /**
   * {@code identity} with both prefixes as attributes ({@link VectorIdentity#QUERY_PREFIX}, {@link
   * VectorIdentity#DOCUMENT_PREFIX}), as configured, empty for none.
   *
   * @param identity the provider's identity so far
   * @return the identity with the prefixes
   */
  public VectorIdentity addTo(VectorIdentity identity) {
    return identity
        .with(VectorIdentity.QUERY_PREFIX, query)
        .with(VectorIdentity.DOCUMENT_PREFIX, document);
  }
}
