package io.batchwise.spi;

import java.util.Locale;

/**
 * What a text is embedded as. Retrieval models of the e5, bge and nomic families are trained with a
 * different prefix for each ({@code "query: "} and {@code "passage: "}, for instance), and some
 * services take the type as a parameter: the vector of a text depends on it. An index is built from
 * documents and searched with queries of the same model.
 *
 * <p>A provider applies what its model needs per call ({@link CallContext#inputType()}); one that
 * needs nothing embeds both alike. The embed pipeline keys its cache by the type, so a query's
 * vector is never served for the same text embedded as a document, nor the reverse.
 */
public enum InputType {
  /**
   * A text to be found: a passage, a chunk, a document. What an embed is unless it says otherwise.
   */
  DOCUMENT,
  /** A text to search with. */
  QUERY;

  /**
   * The type as options and identities spell it.
   *
   * @return {@code document} or {@code query}
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
