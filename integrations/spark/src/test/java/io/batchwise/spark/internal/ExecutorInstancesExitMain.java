package io.batchwise.spark.internal;

import io.batchwise.EmbedResult;
import java.util.List;
import java.util.Map;

/**
 * A forked executor-side JVM for {@link ExecutorInstancesCloseTest}: it takes this JVM's shared
 * Batchwise instance from {@link ExecutorInstances} (as a task does), with a {@code sqlite} cache,
 * embeds three texts through it, and ends — normally ({@code exit}: the JVM's shutdown hooks run)
 * or by {@link Runtime#halt} ({@code halt}: they do not; the control that shows what an unclosed
 * instance leaves).
 */
public final class ExecutorInstancesExitMain {
  static final List<String> TEXTS = List.of("alpha", "beta", "gamma");

  private ExecutorInstancesExitMain() {}

  /**
   * Runs the child.
   *
   * @param args the openai base URL, the SQLite cache file, {@code exit} or {@code halt}
   */
  public static void main(String[] args) {
    Map<String, String> options =
        Map.of(
            "provider", "openai",
            "openai.base-url", args[0],
            "openai.model", "text-embedding-3-small",
            "openai.dimensions", "8",
            "openai.encoding-format", "float",
            "cache", "sqlite",
            "cache.path", args[1]);
    EmbedResult result = ExecutorInstances.of(options).embedder().embedAll(TEXTS);
    if (!result.allSucceeded()) {
      System.out.println("failed: " + result.failures());
      Runtime.getRuntime().halt(3);
    }
    System.out.println("embedded " + result.vectors().size());
    System.out.flush();
    if (args[2].equals("halt")) {
      Runtime.getRuntime().halt(0);
    }
  }
}
