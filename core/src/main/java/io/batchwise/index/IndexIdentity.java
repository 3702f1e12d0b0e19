package io.batchwise.index;

import io.batchwise.Embedder;
import io.batchwise.spi.VectorIdentity;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an index records about its vectors: the projection of their {@link VectorIdentity} onto an
 * allowlist — the provider, the model, the dimensions, the normalization and the few {@linkplain
 * #ATTRIBUTES attributes} that decide whether a query's vector can be compared with the index's. It
 * is all an index file records about the embedder. There is one identity concept, {@link
 * VectorIdentity}; this is the part of it a file may hold, built by {@link #of(VectorIdentity)}.
 *
 * <p>An identity is data, never configuration: it holds no endpoint, deployment, key, organization,
 * cache or limit, and nothing in it may decide where a request goes or how it authenticates. Nor
 * does it hold the input type (documents are indexed, queries search), but both configured
 * prefixes: an index built from documents is searched with query embeddings of the same model. The
 * attributes are an allowlist; a new one is one more constant in {@link #ATTRIBUTES}.
 *
 * <p>An attribute that an identity does not hold is unknown, not "default": a provider that
 * declares no pooling has none in its identity, and one read from a file written before the
 * attributes were recorded knows none. {@link #matches} compares what both sides know. A prefix
 * held with the empty value means no prefix; files of earlier versions also wrote an empty pooling
 * or max sequence length for "the model's own", which reading a file takes as unknown (the model id
 * names any override).
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().provider("local").build()) {
 *   IndexIdentity id = IndexIdentity.of(bw.embedder().identity());
 *   // local/all-minilm-l6-v2 (384 dims, normalized, pooling mean, max sequence length 256)
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param provider the provider id, e.g. {@code local}
 * @param model the model id as the provider reports it (with any suffix it adds for overrides)
 * @param dimensions the vectors' length, 1 to {@link VectorIndex#MAX_DIMENSIONS}
 * @param attributes known attributes by name, each one of {@link #ATTRIBUTES}; sorted, unmodifiable
 */
public record IndexIdentity(
    String provider, String model, int dimensions, SortedMap<String, String> attributes) {
  /**
   * Attribute: whether the vectors have unit length, {@code true} or {@code false} (a {@link
   * VectorIdentity} holds it as {@link VectorIdentity#normalized()}).
   */
  public static final String NORMALIZED = "normalized";

  /**
   * Attribute: the pooling of the vectors ({@code mean}, {@code cls}); {@link
   * VectorIdentity#POOLING}.
   */
  public static final String POOLING = VectorIdentity.POOLING;

  /**
   * Attribute: the most tokens per input the model is run with; {@link
   * VectorIdentity#MAX_SEQUENCE_LENGTH}.
   */
  public static final String MAX_SEQUENCE_LENGTH = VectorIdentity.MAX_SEQUENCE_LENGTH;

  /**
   * Attribute: the text prepended to queries, empty for none; {@link VectorIdentity#QUERY_PREFIX}.
   */
  public static final String QUERY_PREFIX = VectorIdentity.QUERY_PREFIX;

  /**
   * Attribute: the text prepended to documents, empty for none; {@link
   * VectorIdentity#DOCUMENT_PREFIX}.
   */
  public static final String DOCUMENT_PREFIX = VectorIdentity.DOCUMENT_PREFIX;

  /** Every attribute an identity may hold: the allowlist. */
  public static final List<String> ATTRIBUTES =
      List.of(NORMALIZED, POOLING, MAX_SEQUENCE_LENGTH, QUERY_PREFIX, DOCUMENT_PREFIX);

  /**
   * The attributes taken from a {@link VectorIdentity}'s {@linkplain VectorIdentity#attributes()
   * attributes} (under the same names), which are also the provider options that set them, named
   * {@code <provider>.<attribute>} (e.g. {@code local.pooling}); {@link #NORMALIZED} comes from
   * {@link VectorIdentity#normalized()} instead.
   */
  public static final List<String> PROVIDER_SETTINGS =
      List.of(POOLING, MAX_SEQUENCE_LENGTH, QUERY_PREFIX, DOCUMENT_PREFIX);

  /** The longest provider id, model id or attribute value an identity holds. */
  public static final int MAX_CHARS = 1024;

  /**
   * A URL with user info ({@code scheme://user:password@host}): credentials, never part of an
   * identity.
   */
  private static final Pattern USER_INFO =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\s]*@");

  /**
   * Checks and copies.
   *
   * @throws IllegalArgumentException naming the part that is blank, too long, out of range, not in
   *     the allowlist, or holds a control character or a URL with user info (never echoing the
   *     value)
   */
  public IndexIdentity {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(attributes, "attributes");
    if (provider.isBlank() || model.isBlank()) {
      throw new IllegalArgumentException("provider and model must not be blank");
    }
    requireSafe("provider", provider);
    requireSafe("model", model);
    if (dimensions < 1 || dimensions > VectorIndex.MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "dimensions was "
              + dimensions
              + "; it must be in [1, "
              + VectorIndex.MAX_DIMENSIONS
              + "]");
    }
    TreeMap<String, String> copy = new TreeMap<>();
    attributes.forEach(
        (name, value) -> {
          if (!ATTRIBUTES.contains(name)) {
            throw new IllegalArgumentException(
                "'" + name + "' is not an identity attribute; they are " + ATTRIBUTES);
          }
          Objects.requireNonNull(value, () -> "value of attribute '" + name + "'");
          requireSafe(name, value);
          copy.put(name, value);
        });
    String normalized = copy.get(NORMALIZED);
    if (normalized != null && !normalized.equals("true") && !normalized.equals("false")) {
      throw new IllegalArgumentException(
          NORMALIZED + " must be true or false, was '" + normalized + "'");
    }
    String length = copy.get(MAX_SEQUENCE_LENGTH);
    if (length != null && !length.isEmpty() && !length.matches("[1-9][0-9]{0,8}")) {
      throw new IllegalArgumentException(
          MAX_SEQUENCE_LENGTH + " must be a positive number or empty, was '" + length + "'");
    }
    attributes = Collections.unmodifiableSortedMap(copy);
  }

  private static void requireSafe(String what, String value) {
    if (value.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          what + " has " + value.length() + " chars; at most " + MAX_CHARS);
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(what + " has a control character at " + i);
      }
    }
    if (USER_INFO.matcher(value).find()) {
      throw new IllegalArgumentException(
          what + " holds a URL with user info; an identity never holds credentials");
    }
  }

  /**
   * The projection of a vector identity onto the allowlist: its provider, model, dimensions and
   * normalization, and those of its attributes named in {@link #PROVIDER_SETTINGS}. Everything else
   * it holds (an endpoint, a deployment, the input type, the per-input token limit, a revision) is
   * left out.
   *
   * @param identity the vectors' identity, e.g. {@link Embedder#identity()}
   * @return the identity an index records
   * @throws IllegalArgumentException when a kept value is too long, holds a control character or a
   *     URL with user info, or the dimensions are over {@link VectorIndex#MAX_DIMENSIONS}
   */
  public static IndexIdentity of(VectorIdentity identity) {
    TreeMap<String, String> attributes = new TreeMap<>();
    attributes.put(NORMALIZED, Boolean.toString(identity.normalized()));
    for (String name : PROVIDER_SETTINGS) {
      identity.attribute(name).ifPresent(value -> attributes.put(name, value));
    }
    return new IndexIdentity(
        identity.providerId(), identity.modelId(), identity.dimensions(), attributes);
  }

  /**
   * The identity of an embedder's vectors as an index records it: {@code of(embedder.identity())}.
   *
   * @param embedder the embedder
   * @return the identity
   * @throws IllegalArgumentException as {@link #of(VectorIdentity)}
   */
  public static IndexIdentity of(Embedder embedder) {
    return of(embedder.identity());
  }

  /**
   * One attribute.
   *
   * @param name one of {@link #ATTRIBUTES}
   * @return its value (empty for the provider's default), or empty when this identity does not know
   *     it
   */
  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  /**
   * Whether vectors of this identity and {@code other} can be compared: the same provider, model
   * and dimensions, and equal values for every attribute both know.
   *
   * @param other another identity
   * @return true when they match
   */
  public boolean matches(IndexIdentity other) {
    if (!provider.equals(other.provider)
        || !model.equals(other.model)
        || dimensions != other.dimensions) {
      return false;
    }
    for (var e : attributes.entrySet()) {
      String theirs = other.attributes.get(e.getKey());
      if (theirs != null && !theirs.equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * This identity with the attributes {@code other} knows and this one does not.
   *
   * @param other an identity that {@linkplain #matches matches} this one
   * @return the union
   * @throws IllegalArgumentException when they do not match
   */
  public IndexIdentity merge(IndexIdentity other) {
    if (!matches(other)) {
      throw new IllegalArgumentException(this + " and " + other + " are different identities");
    }
    TreeMap<String, String> union = new TreeMap<>(other.attributes);
    union.putAll(attributes);
    return new IndexIdentity(provider, model, dimensions, union);
  }

  /**
   * The identity for people and error messages: every part, the attributes that are set.
   *
   * @return e.g. {@code local/all-minilm-l6-v2 (384 dims, normalized, pooling cls)}
   */
  @Override
  public String toString() {
    StringJoiner parts = new StringJoiner(", ", provider + "/" + model + " (", ")");
    parts.add(dimensions + " dims");
    attribute(NORMALIZED)
        .ifPresent(n -> parts.add(n.equals("true") ? "normalized" : "unnormalized"));
    for (String name : PROVIDER_SETTINGS) {
      String value = attributes.get(name);
      if (value != null && !value.isEmpty()) {
        parts.add(
            name.replace('-', ' ') + (name.endsWith("prefix") ? " '" + value + "'" : " " + value));
      }
    }
    return parts.toString();
  }
}
