package io.batchwise.spark;

/**
 * A row that could not be embedded, with {@link EmbedSpec#failOnError()}: fails its task, naming
 * the partition and the row's position in it (from 0) and the reason.
 */
public final class RowEmbeddingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int partition;
  private final long row;

  /**
   * Creates the exception.
   *
   * @param partition the partition's index
   * @param row the row's position in its partition, from 0
   * @param column the input column
   * @param reason why the row has no vector
   * @param cause the failure, or null
   */
  public RowEmbeddingException(
      int partition, long row, String column, String reason, Throwable cause) {
    super(
        "row "
            + row
            + " of partition "
            + partition
            + " (column '"
            + column
            + "') was not embedded: "
            + reason,
        cause);
    this.partition = partition;
    this.row = row;
  }

  /**
   * @return the partition's index
   */
  public int partition() {
    return partition;
  }

  /**
   * @return the row's position in its partition, from 0
   */
  public long row() {
    return row;
  }
}
