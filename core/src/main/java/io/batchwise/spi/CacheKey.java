package io.batchwise.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The key of one cached embedding: a namespace that identifies everything that shapes the vector
 * (provider id, model, dimensions, normalization) and the SHA-256 of the text.
 *
 * <p>A cache written by one model is never read for another, because their namespaces differ;
 * {@link EmbeddingCache#invalidateNamespace(String)} removes everything one model wrote.
 *
 * @param namespace {@code provider/model/dimensions/normalized}, e.g. {@code local/all-minilm-l6-v2/384/n}
 * @param textHash the lowercase hex SHA-256 of the UTF-8 text
 */
public record CacheKey(String namespace, String textHash) {

  /** Checks that both parts are present. */
  public CacheKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(textHash, "textHash");
  }

  /**
   * The namespace of a provider's model.
   *
   * @param providerId the provider id
   * @param model the model info
   * @return {@code provider/model/dimensions/n|u}
   */
  public static String namespace(String providerId, ModelInfo model) {
    return providerId + "/" + model.modelId() + "/" + model.dimensions() + "/"
        + (model.normalized() ? "n" : "u");
  }

  /**
   * The key of {@code text} under {@code namespace}.
   *
   * @param namespace from {@link #namespace(String, ModelInfo)}
   * @param text the input text
   * @return the key
   */
  public static CacheKey of(String namespace, String text) {
    return new CacheKey(namespace, sha256(text));
  }

  /**
   * The key as one string, {@code namespace:hash}, for byte stores keyed by strings.
   *
   * @return the string form
   */
  public String asString() {
    return namespace + ":" + textHash;
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
