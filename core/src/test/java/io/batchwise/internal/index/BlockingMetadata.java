package io.batchwise.internal.index;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * Entry metadata whose iteration runs an action first: the index file writer iterates each entry's
 * metadata midway through the file, so a test can fail or block a save at a known point.
 */
final class BlockingMetadata extends AbstractMap<String, String> {
  /** What to do when the writer reaches this entry. */
  interface Action {
    void run() throws Exception;
  }

  private final Action action;

  BlockingMetadata(Action action) {
    this.action = action;
  }

  @Override
  public int size() {
    return 1;
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    try {
      action.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return Set.of(Map.entry("key", "value"));
  }
}
