package io.batchwise.spark;

import io.batchwise.Batchwise;
import io.batchwise.spark.internal.EmbedPartition;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Embeds a Spark {@link Dataset} with Batchwise, on Spark itself: each executor JVM builds one
 * {@link Batchwise} instance from the spec's options, lazily, and shares it among its tasks (one
 * ONNX session, one HTTP connection pool, one cache connection, one set of rate limits), closing it
 * when the JVM exits. Each partition is embedded through {@code embedStream}, a window at a time,
 * so an executor's memory does not grow with the size of a partition.
 *
 * <pre>{@code
 * Dataset<Row> docs = spark.read().parquet("s3://bucket/docs");          // id, text, ...
 * Dataset<Row> out = BatchwiseSpark.embed(docs, EmbedSpec.builder("text")
 *     .option("provider", "openai").option("cache", "redis")     // cache.uri and the key: Spark conf, below
 *     .option("pacer", "redis").option("requests-per-minute", "3000")
 *     .build());
 * out.write().parquet("s3://bucket/embedded");                           // id, text, ..., embedding, embedding_error
 * }</pre>
 *
 * <p>Every input column is kept, and rows keep their partition and their order in it. A row whose
 * text could not be embedded (a null text included) has a null vector and the reason in the error
 * column — or, with {@link EmbedSpec#failOnError()}, fails its task with a {@link
 * RowEmbeddingException} naming the partition and the row's position in it.
 *
 * <p>Secrets (an API key, a Redis password) never travel in the spec: the executors read them from
 * their environment ({@code OPENAI_API_KEY}, ...) or from Spark conf under {@value
 * #SECRET_CONF_PREFIX}, e.g. {@code --conf spark.batchwise.secret.openai.api-key=...}, a name that
 * Spark's default {@code spark.redaction.regex} hides in its UI and event logs.
 */
public final class BatchwiseSpark {
  /**
   * The prefix of Spark conf entries that set a Batchwise option (typically a secret) on the
   * executors: {@code spark.batchwise.secret.openai.api-key} sets {@code openai.api-key}. It
   * contains {@code secret}, which Spark's default redaction pattern hides.
   */
  public static final String SECRET_CONF_PREFIX = "spark.batchwise.secret.";

  private BatchwiseSpark() {}

  /**
   * Embeds the spec's input column of every row.
   *
   * @param dataset the rows; the input column must be a string column
   * @param spec what to embed and how
   * @return the rows with two columns added: the vector ({@code array<float>}, null where the row
   *     failed) and the error (null where it succeeded); lazily evaluated, as any Dataset
   * @throws IllegalArgumentException naming the column when the input column is missing or not a
   *     string, or the output or error column already exists
   * @throws io.batchwise.config.ConfigurationException when an option is unknown or out of range
   *     (checked on the driver, before any task runs)
   */
  public static Dataset<Row> embed(Dataset<Row> dataset, EmbedSpec spec) {
    StructType schema = dataset.schema();
    List<String> columns = Arrays.asList(schema.fieldNames());
    int input = columns.indexOf(spec.inputColumn());
    if (input < 0) {
      throw new IllegalArgumentException(
          "the Dataset has no column '"
              + spec.inputColumn()
              + "' to embed; its columns: "
              + String.join(", ", columns));
    }
    StructField field = schema.fields()[input];
    if (!field.dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(
          "column '"
              + spec.inputColumn()
              + "' is "
              + field.dataType().simpleString()
              + ", not string: cast it, e.g. dataset.withColumn(\""
              + spec.inputColumn()
              + "\", col(\""
              + spec.inputColumn()
              + "\").cast(\"string\"))");
    }
    for (String added : List.of(spec.outputColumn(), spec.errorColumn())) {
      if (columns.contains(added)) {
        throw new IllegalArgumentException(
            "the Dataset already has a column '"
                + added
                + "': choose another outputColumn or errorColumn in the spec");
      }
    }
    // fail on the driver, not in every task, when an option is unknown or out of range
    Batchwise.builder().options(spec.options()).build().close();
    StructType out =
        schema
            .add(spec.outputColumn(), DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add(spec.errorColumn(), DataTypes.StringType, true);
    return dataset.mapPartitions(new EmbedPartition(spec, input), Encoders.row(out));
  }
}
