package io.batchwise.spark.internal;

import io.batchwise.Embedding;
import io.batchwise.spark.EmbedSpec;
import io.batchwise.spark.RowEmbeddingException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Pairs a partition's rows with their embeddings. The texts handed to {@code embedStream} are read
 * from the rows on demand; each row waits in a queue until its embedding comes back (in input
 * order), so only the rows of the windows in flight are held. A row whose text is null is not sent:
 * it leaves in its place with an error.
 */
final class RowWindows {
  private final Iterator<Row> rows;
  private final int inputIndex;
  private final Deque<Row> waiting = new ArrayDeque<>();

  RowWindows(Iterator<Row> rows, int inputIndex) {
    this.rows = rows;
    this.inputIndex = inputIndex;
  }

  /** The non-null texts, read from the rows as they are asked for; every row read is queued. */
  Iterator<String> texts() {
    return new Iterator<>() {
      private String next;

      @Override
      public boolean hasNext() {
        while (next == null && rows.hasNext()) {
          Row row = rows.next();
          waiting.addLast(row);
          next = row.getString(inputIndex);
        }
        return next != null;
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String text = next;
        next = null;
        return text;
      }
    };
  }

  /**
   * The rows with their vector and error, in order.
   *
   * @param embeddings the embeddings of {@link #texts()}, in order
   * @param partition the partition's index, for errors
   * @param spec the spec
   * @return the rows
   */
  Iterator<Row> embedded(Iterator<Embedding> embeddings, int partition, EmbedSpec spec) {
    return new Iterator<>() {
      private Embedding pending;
      private long position;
      private long expectedIndex;

      @Override
      public boolean hasNext() {
        if (!waiting.isEmpty() || pending != null) {
          return true;
        }
        // reading the next embedding reads rows, null texts among them, into the queue
        return embeddings.hasNext() || !waiting.isEmpty();
      }

      @Override
      public Row next() {
        while (true) {
          Row head = waiting.peekFirst();
          if (head != null && head.isNullAt(inputIndex)) {
            waiting.pollFirst();
            return out(head, null, "the input column '" + spec.inputColumn() + "' is null", null);
          }
          if (pending == null) {
            if (!embeddings.hasNext()) {
              throw new NoSuchElementException();
            }
            pending = embeddings.next();
            if (pending.index() != expectedIndex++) {
              throw new IllegalStateException(
                  "embedStream answered input "
                      + pending.index()
                      + " where "
                      + (expectedIndex - 1)
                      + " was due");
            }
            continue; // rows read meanwhile may put a null text first
          }
          Embedding e = pending;
          pending = null;
          Row row = waiting.pollFirst();
          if (e.succeeded()) {
            return out(row, e.vector(), null, null);
          }
          Throwable error = e.error();
          return out(
              row,
              null,
              error.getMessage() == null ? error.getClass().getName() : error.getMessage(),
              error);
        }
      }

      private Row out(Row row, float[] vector, String error, Throwable cause) {
        long at = position++;
        if (error != null && spec.failOnError()) {
          throw new RowEmbeddingException(partition, at, spec.inputColumn(), error, cause);
        }
        Object[] values = new Object[row.length() + 2];
        for (int i = 0; i < row.length(); i++) {
          values[i] = row.get(i);
        }
        values[row.length()] = vector;
        values[row.length() + 1] = error;
        return RowFactory.create(values);
      }
    };
  }
}
