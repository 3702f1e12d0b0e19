package io.batchwise.cache.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Search} that counts the calls that reach it and can be made to fail once. */
public final class CountingSearch implements Search {
  /** How many calls reached this object. */
  public final AtomicInteger calls = new AtomicInteger();

  /** Thrown by the next {@code search(query, limit)}, then cleared. */
  public IOException failNext;

  @Override
  public List<Hit> search(String query, int limit) throws IOException {
    calls.incrementAndGet();
    if (failNext != null) {
      IOException e = failNext;
      failNext = null;
      throw e;
    }
    return List.of(new Hit(query + "#" + limit, 0.5));
  }

  @Override
  public String search(String query) {
    calls.incrementAndGet();
    return "one:" + query;
  }

  @Override
  public CompletableFuture<String> lookupAsync(String id) {
    calls.incrementAndGet();
    return CompletableFuture.supplyAsync(() -> "async:" + id);
  }

  @Override
  public int offset() {
    calls.incrementAndGet();
    return 100;
  }

  @Override
  public String uncached(String s) {
    calls.incrementAndGet();
    return s;
  }

  @Override
  public String toString() {
    return "CountingSearch";
  }
}
