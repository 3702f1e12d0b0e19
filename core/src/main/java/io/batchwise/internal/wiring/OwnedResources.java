package io.batchwise.internal.wiring;

import java.util.ArrayDeque;
import java.util.Deque;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Batchwise instance created and so must close: closed in reverse order of creation (the
 * scheduler before the provider it calls, the provider before the pools it runs on). A resource that
 * fails to close is logged and the rest are still closed.
 */
@Singleton
public final class OwnedResources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OwnedResources.class);
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private boolean closed;

  @Inject
  OwnedResources() {}

  /**
   * Takes ownership of a resource.
   *
   * @param resource closed by {@link #close()}
   * @param <T> its type
   * @return the resource
   */
  public synchronized <T extends AutoCloseable> T own(T resource) {
    if (closed) {
      throw new IllegalStateException("this Batchwise instance is closed");
    }
    resources.push(resource);
    return resource;
  }

  /** Closes everything owned, newest first. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("failed to close {}: {}", r, e.toString(), e);
      }
    }
  }
}
