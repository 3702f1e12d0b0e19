package io.batchwise.cache.testing;

import io.batchwise.cache.Cached;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A service with {@link Cached} and uncached methods, for the memoizing proxy's tests. */
public interface Search {
  /**
   * Searches.
   *
   * @param query the query
   * @param limit the most hits
   * @return the hits
   * @throws IOException when the index is offline
   */
  @Cached(ttl = "10m", maxSize = 100)
  List<Hit> search(String query, int limit) throws IOException;

  /**
   * An overload of {@link #search(String, int)}.
   *
   * @param query the query
   * @return one answer
   */
  @Cached
  String search(String query);

  /**
   * An asynchronous lookup.
   *
   * @param id the id
   * @return the answer, later
   */
  @Cached
  CompletableFuture<String> lookupAsync(String id);

  /**
   * A cached default method that calls an uncached one.
   *
   * @param s a text
   * @return its length plus {@link #offset()}
   */
  @Cached
  default int length(String s) {
    return s.length() + offset();
  }

  /**
   * Not cached.
   *
   * @return an offset
   */
  int offset();

  /**
   * Not cached.
   *
   * @param s a text
   * @return the text
   */
  String uncached(String s);
}
