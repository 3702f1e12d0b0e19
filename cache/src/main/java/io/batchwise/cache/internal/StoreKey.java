package io.batchwise.cache.internal;

/**
 * A key of the in-memory store held as two parts, typically a shared prefix ({@code
 * emb:<namespace>:}) and a per-entry suffix (the text hash), so that a lookup neither concatenates
 * nor rehashes the prefix.
 *
 * <p>Equality and hash code depend only on the full text, whatever the split: two keys with the
 * same {@code prefix + suffix} are equal, and {@link #hashCode()} equals that string's {@link
 * String#hashCode()} (computed from the parts' cached hashes as {@code h(prefix) · 31^|suffix| +
 * h(suffix)}). Immutable.
 */
final class StoreKey {
  /** 31^n mod 2^32 for the suffix lengths that occur in practice (hashes are 64 characters). */
  private static final int[] POW31 = new int[257];

  static {
    POW31[0] = 1;
    for (int i = 1; i < POW31.length; i++) {
      POW31[i] = POW31[i - 1] * 31;
    }
  }

  private final String prefix;
  private final String suffix;
  private final int hash;

  private StoreKey(String prefix, String suffix) {
    this.prefix = prefix;
    this.suffix = suffix;
    this.hash = prefix.hashCode() * pow31(suffix.length()) + suffix.hashCode();
  }

  private static int pow31(int n) {
    if (n < POW31.length) {
      return POW31[n];
    }
    int p = POW31[POW31.length - 1];
    for (int i = POW31.length - 1; i < n; i++) {
      p *= 31;
    }
    return p;
  }

  /**
   * The key {@code prefix + suffix}.
   *
   * @param prefix the shared part
   * @param suffix the rest
   * @return the key
   */
  static StoreKey of(String prefix, String suffix) {
    return new StoreKey(prefix, suffix);
  }

  /**
   * The key of a full string, split after its last {@code ':'} (any split gives an equal key).
   *
   * @param full the key text
   * @return the key
   */
  static StoreKey of(String full) {
    int split = full.lastIndexOf(':') + 1;
    return new StoreKey(full.substring(0, split), full.substring(split));
  }

  int length() {
    return prefix.length() + suffix.length();
  }

  char charAt(int i) {
    return i < prefix.length() ? prefix.charAt(i) : suffix.charAt(i - prefix.length());
  }

  /**
   * Whether the full key starts with {@code p}.
   *
   * @param p the prefix
   * @return true when it does
   */
  boolean startsWith(String p) {
    if (p.length() > length()) {
      return false;
    }
    if (p.length() <= prefix.length()) {
      return prefix.startsWith(p);
    }
    return p.startsWith(prefix) && suffix.startsWith(p.substring(prefix.length()));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof StoreKey)) {
      return false;
    }
    StoreKey k = (StoreKey) o;
    if (hash != k.hash || length() != k.length()) {
      return false;
    }
    if (prefix.length() == k.prefix.length()) {
      return prefix.equals(k.prefix) && suffix.equals(k.suffix);
    }
    for (int i = 0, n = length(); i < n; i++) {
      if (charAt(i) != k.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The full key. */
  @Override
  public String toString() {
    return prefix.concat(suffix);
  }
}
