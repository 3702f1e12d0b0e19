package io.batchwise.internal.index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a forked JVM by {@link IndexSaveFailureTest}: saves an index to {@code args[0]} and,
 * midway through the file, creates {@code args[1]} and waits for ever, until the test stops the
 * process.
 */
public final class SaveStopProbe {
  private SaveStopProbe() {}

  /**
   * Saves and blocks midway.
   *
   * @param args the index file, the marker file created when the save is midway
   * @throws Exception never in practice: the process is stopped while it waits
   */
  public static void main(String[] args) throws Exception {
    Path marker = Path.of(args[1]);
    FlatVectorIndex index =
        FlatVectorIndex.restore(
            2,
            new float[] {1, 0},
            List.of("a"),
            List.of(
                new BlockingMetadata(
                    () -> {
                      Files.createFile(marker);
                      new CountDownLatch(1).await();
                    })),
            null);
    index.save(Path.of(args[0]));
  }
}
