package io.batchwise.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything that decides which vector a text gets: the provider, the model, the dimensions, the
 * normalization, and whatever else the provider declares as {@linkplain #attributes() attributes}
 * (pooling, the configured query and document prefixes, the endpoint of a remote service, the
 * revision of a model's files, the most tokens per input), and the {@link InputType} the text is
 * embedded as ({@link #forInputType}). Two identities are equal exactly when the same text would be
 * embedded the same way.
 *
 * <p>Identity is not configuration: it names what a vector is, never where a request goes or how it
 * authenticates, so an attribute must never carry a secret (a key, a password, a URL's user info).
 * It keys the embedding cache ({@link #namespace()}); an index records its projection onto an
 * allowlist ({@link io.batchwise.index.IndexIdentity#of(VectorIdentity)}: no endpoint, no input
 * type), so that a query embedder can be checked against the index's vectors of documents.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * VectorIdentity id = VectorIdentity.of("local", modelInfo)
 *     .with(VectorIdentity.POOLING, "mean")
 *     .with(VectorIdentity.REVISION, "3f2a…");
 * String namespace = id.namespace();   // v2/local/all-minilm-l6-v2/384/n/<digest of the attributes>
 * }</pre>
 *
 * @param providerId the provider's id, e.g. {@code local}
 * @param modelId the model as the provider names it
 * @param dimensions the vectors' length, at least 1
 * @param normalized whether the vectors have unit L2 norm
 * @param attributes the provider's other vector-shaping settings by name, sorted; never secrets
 */
public record VectorIdentity(
    String providerId,
    String modelId,
    int dimensions,
    boolean normalized,
    SortedMap<String, String> attributes) {

  /**
   * The version of the cache key format, the first segment of every {@link #namespace()}. Entries
   * written under another version are simply never looked up: a changed format is a clean miss,
   * never a misread vector.
   */
  public static final String KEY_FORMAT = "v2";

  /** Attribute: how token vectors become one vector ({@code mean}, {@code cls}). */
  public static final String POOLING = "pooling";

  /**
   * Attribute: what the texts are embedded as, {@code query} ({@link InputType#id()}); absent for
   * documents, the default type. Set by {@link #forInputType}, never by a provider: the embed
   * pipeline keys each embed's cache lookups by the identity of its input type.
   */
  public static final String INPUT_TYPE = "input-type";

  /**
   * Attribute: the prefix the provider is configured to prepend to queries, as configured (empty
   * for none): vectors of documents and of queries are compared, so both prefixes belong to the
   * model's identity, and with the {@linkplain #INPUT_TYPE input type} they say which prefix a
   * vector got.
   */
  public static final String QUERY_PREFIX = "query-prefix";

  /**
   * Attribute: the prefix the provider is configured to prepend to documents, as configured (empty
   * for none).
   */
  public static final String DOCUMENT_PREFIX = "document-prefix";

  /**
   * Attribute: the most tokens per input the model is run with, special tokens included; unlike
   * {@link #MAX_TOKENS_PER_INPUT} it does not depend on the prefix of the input type.
   */
  public static final String MAX_SEQUENCE_LENGTH = "max-sequence-length";

  /** Attribute: the remote service's host, port and path (never user info, query or key). */
  public static final String ENDPOINT = "endpoint";

  /** Attribute: the Azure OpenAI deployment the requests go to. */
  public static final String DEPLOYMENT = "deployment";

  /** Attribute: a hash of the model's files, for models read from a directory. */
  public static final String REVISION = "revision";

  /**
   * Attribute: the most tokens one input may have as the provider declares it; an input over it is
   * cut there (or fails), which changes its vector.
   */
  public static final String MAX_TOKENS_PER_INPUT = "max-tokens-per-input";

  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");

  /**
   * Hex digits of the attributes' digest in a namespace: 64 bits, ample for the settings one user
   * has.
   */
  private static final int DIGEST_HEX = 16;

  /**
   * Checks and copies.
   *
   * @throws IllegalArgumentException naming the part that is blank, out of range or malformed
   */
  public VectorIdentity {
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(attributes, "attributes");
    if (providerId.isBlank() || modelId.isBlank()) {
      throw new IllegalArgumentException("providerId and modelId must not be blank");
    }
    if (dimensions < 1) {
      throw new IllegalArgumentException(
          "dimensions was " + dimensions + "; it must be at least 1");
    }
    TreeMap<String, String> copy = new TreeMap<>();
    attributes.forEach(
        (name, value) -> {
          if (name == null || !ATTRIBUTE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                "attribute name '" + name + "' must be lowercase letters, digits, '.' or '-'");
          }
          copy.put(name, Objects.requireNonNull(value, () -> "value of attribute '" + name + "'"));
        });
    attributes = Collections.unmodifiableSortedMap(copy);
  }

  /**
   * The identity of a provider's model with no attributes: what a provider that declares nothing
   * else gets ({@link EmbeddingProvider#identity()}).
   *
   * @param providerId the provider's id
   * @param model its model info
   * @return the identity
   */
  public static VectorIdentity of(String providerId, ModelInfo model) {
    return new VectorIdentity(
        providerId, model.modelId(), model.dimensions(), model.normalized(), new TreeMap<>());
  }

  /**
   * A copy with one more attribute (replacing one of the same name).
   *
   * @param name the attribute's name: lowercase letters, digits, {@code .} and {@code -}
   * @param value its value; never a secret
   * @return the new identity
   */
  public VectorIdentity with(String name, String value) {
    TreeMap<String, String> more = new TreeMap<>(attributes);
    more.put(name, value);
    return new VectorIdentity(providerId, modelId, dimensions, normalized, more);
  }

  /**
   * The identity of this model's vectors of texts embedded as {@code type}: this identity for
   * {@link InputType#DOCUMENT}, the default type (so a cache written before input types keeps
   * serving documents), and this identity with {@link #INPUT_TYPE} {@code query} for {@link
   * InputType#QUERY}. A query's vector and a document's vector of the same text are different
   * vectors (the provider may prefix them differently), so their namespaces differ.
   *
   * @param type the input type
   * @return the identity of vectors of that type
   */
  public VectorIdentity forInputType(InputType type) {
    return type == InputType.DOCUMENT ? this : with(INPUT_TYPE, type.id());
  }

  /**
   * One attribute.
   *
   * @param name its name
   * @return its value, or empty when the provider does not declare it
   */
  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  /**
   * The cache namespace of these vectors: {@code v2/<provider>/<model>/<dimensions>/<n|u>[/<digest
   * of the attributes>]}, with {@code %}, {@code /} and {@code :} in the provider and model
   * percent-encoded. Equal identities give equal namespaces; identities that differ in any part
   * give different ones.
   *
   * @return the namespace
   */
  public String namespace() {
    StringBuilder ns =
        new StringBuilder(KEY_FORMAT)
            .append('/')
            .append(escape(providerId))
            .append('/')
            .append(escape(modelId))
            .append('/')
            .append(dimensions)
            .append('/')
            .append(normalized ? 'n' : 'u');
    if (!attributes.isEmpty()) {
      StringBuilder canonical = new StringBuilder();
      // length-prefixed, so that no two different attribute maps encode alike
      attributes.forEach(
          (name, value) ->
              canonical
                  .append(name.length())
                  .append(':')
                  .append(name)
                  .append(value.length())
                  .append(':')
                  .append(value));
      ns.append('/').append(sha256Hex(canonical.toString()), 0, DIGEST_HEX);
    }
    return ns.toString();
  }

  private static String escape(String part) {
    return part.replace("%", "%25").replace("/", "%2F").replace(":", "%3A");
  }

  static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * One SHA-256 digest per thread, reset, for a hash computed at once ({@code digest(...)} in the
   * same expression, or updates then a digest with no other hashing between them): a cache lookup
   * hashes every input, and looking the algorithm up again for each (a provider search and a
   * reflective construction) was a large part of a cold lookup's hashing.
   */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is required by every Java platform", e);
            }
          });

  static MessageDigest sha256() {
    MessageDigest digest = SHA_256.get();
    digest.reset(); // a hash abandoned half-way (an exception between updates) starts over
    return digest;
  }

  /**
   * The identity for people: every part and attribute (attributes never hold secrets).
   *
   * @return e.g. {@code local/all-minilm-l6-v2 384 dims normalized {pooling=mean}}
   */
  @Override
  public String toString() {
    return providerId
        + "/"
        + modelId
        + " "
        + dimensions
        + " dims "
        + (normalized ? "normalized" : "unnormalized")
        + (attributes.isEmpty() ? "" : " " + attributes);
  }
}
