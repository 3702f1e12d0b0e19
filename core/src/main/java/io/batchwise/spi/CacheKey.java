package io.batchwise.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The key of one cached embedding: the {@linkplain VectorIdentity#namespace() namespace} of the
 * vectors' identity and a SHA-256 of what the model was given.
 *
 * <p>A text sent whole is keyed by the hash of its UTF-8 bytes ({@link #of}); a text cut to a token
 * limit by the hash of the limit and the text ({@link #truncated}), so that an entry computed from
 * a cut text is never served for the whole text, nor for the text cut at another limit, while a
 * text short enough to be sent whole shares its entry across limits. A cache written under one
 * identity is never read for another, because their namespaces differ; {@link
 * EmbeddingCache#invalidateNamespace} removes everything one identity wrote.
 *
 * @param namespace from {@link VectorIdentity#namespace()}, e.g. {@code
 *     v2/local/all-minilm-l6-v2/384/n/…}
 * @param textHash lowercase hex SHA-256
 */
public record CacheKey(String namespace, String textHash) {
  /**
   * Starts the hashed bytes of a truncated text: 0xFF never occurs in UTF-8, so no whole text
   * hashes the same bytes as a truncated one.
   */
  private static final byte TRUNCATED = (byte) 0xFF;

  /** Checks that both parts are present. */
  public CacheKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(textHash, "textHash");
  }

  /**
   * Equal when both parts are equal, as a record's generated {@code equals} is. Written out: the
   * generated one is bootstrapped through method handles on its first call, which a command that
   * answers every input from the cache pays at start for one lookup table.
   *
   * @param o another object
   * @return whether {@code o} is a key with the same namespace and hash
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof CacheKey k && namespace.equals(k.namespace) && textHash.equals(k.textHash);
  }

  /**
   * Consistent with {@link #equals}; written out for the same reason.
   *
   * @return a hash of both parts
   */
  @Override
  public int hashCode() {
    return 31 * namespace.hashCode() + textHash.hashCode();
  }

  /**
   * The key of {@code text} sent whole.
   *
   * @param namespace from {@link VectorIdentity#namespace()}
   * @param text the input text
   * @return the key
   */
  public static CacheKey of(String namespace, String text) {
    MessageDigest digest = VectorIdentity.sha256();
    return new CacheKey(
        namespace, HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8))));
  }

  /**
   * The key of {@code text} cut to {@code limit} tokens before it was embedded.
   *
   * @param namespace from {@link VectorIdentity#namespace()}
   * @param text the input text, before it was cut
   * @param limit the tokens it was cut to
   * @return the key, different from {@link #of}'s and from any other limit's
   */
  public static CacheKey truncated(String namespace, String text, int limit) {
    MessageDigest digest = VectorIdentity.sha256();
    digest.update(TRUNCATED);
    digest.update(Integer.toString(limit).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) 0);
    return new CacheKey(
        namespace, HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8))));
  }

  /**
   * The key as one string, {@code namespace:hash}, for byte stores keyed by strings.
   *
   * @return the string form
   */
  public String asString() {
    return namespace + ":" + textHash;
  }
}
