package io.batchwise.internal.wiring;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Batchwise instance created and so must close, closed by {@link Stage} in the order the
 * stages are declared, whatever the order of creation (the provider is created lazily, after the
 * scheduler). Within a stage, newest first. A resource that fails to close is logged and the rest
 * are still closed.
 */
@Singleton
public final class OwnedResources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OwnedResources.class);

  /** When a resource closes; the declaration order is the closing order, written only here. */
  public enum Stage {
    /** The embedder stops taking new embeds; those in flight go on. */
    STOP_INTAKE,
    /**
     * The scheduler finishes its running calls (close mode {@code finish}, up to its close timeout)
     * or cancels them.
     */
    SCHEDULER,
    /**
     * The embedder waits for its embeds to store their answers and complete (in close mode {@code
     * finish}, until the close timeout has passed since {@link #STOP_INTAKE}), then cancels those
     * left.
     */
    SETTLE,
    /** The provider, which nothing calls any more. */
    PROVIDER,
    /** The cache, which nothing stores into any more. */
    CACHE,
    /** The thread pools everything above ran on. */
    EXECUTORS
  }

  private final Map<Stage, Deque<AutoCloseable>> resources = new EnumMap<>(Stage.class);
  private boolean closed;

  @Inject
  OwnedResources() {}

  /**
   * Takes ownership of a resource.
   *
   * @param stage when it closes
   * @param resource closed by {@link #close()}
   * @param <T> its type
   * @return the resource
   */
  public synchronized <T extends AutoCloseable> T own(Stage stage, T resource) {
    if (closed) {
      throw new IllegalStateException("this Batchwise instance is closed");
    }
    resources.computeIfAbsent(stage, s -> new ArrayDeque<>()).push(resource);
    return resource;
  }

  /** Closes everything owned, stage by stage, newest first within a stage. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    for (Stage stage : Stage.values()) {
      Deque<AutoCloseable> owned = resources.remove(stage);
      while (owned != null && !owned.isEmpty()) {
        AutoCloseable r = owned.pop();
        try {
          r.close();
        } catch (Exception e) {
          LOG.warn("failed to close {}: {}", r, e.toString(), e);
        }
      }
    }
  }
}
