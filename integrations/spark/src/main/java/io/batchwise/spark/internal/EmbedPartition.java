package io.batchwise.spark.internal;

import io.batchwise.Embedding;
import io.batchwise.spark.EmbedSpec;
import java.util.Iterator;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Embeds one partition: the rows go through the executor's instance's {@code embedStream} as they
 * are read, and come out with their vector and error appended, in order. Serializable: Spark sends
 * it to every task, with the spec (which holds no secret).
 */
public final class EmbedPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final EmbedSpec spec;
  private final int inputIndex;

  /**
   * Creates the function.
   *
   * @param spec what to embed
   * @param inputIndex the input column's position in the rows
   */
  public EmbedPartition(EmbedSpec spec, int inputIndex) {
    this.spec = spec;
    this.inputIndex = inputIndex;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    RowWindows windows = new RowWindows(rows, inputIndex);
    Stream<Embedding> embeddings =
        ExecutorInstances.of(spec.options()).embedder().embedStream(windows.texts());
    TaskContext task = TaskContext.get();
    if (task != null) {
      // a task that stops early (a limit) or fails leaves no window in flight
      task.addTaskCompletionListener((TaskCompletionListener) context -> embeddings.close());
    }
    return windows.embedded(embeddings.iterator(), TaskContext.getPartitionId(), spec);
  }
}
