package io.batchwise.examples.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;

import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.demo.SampleCorpus;
import io.batchwise.spark.BatchwiseSpark;
import io.batchwise.spark.EmbedSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Batchwise on Apache Spark, on one machine: a {@code local[2]} Spark job embeds the sample corpus
 * (one row per paragraph: id, topic, text) with {@link BatchwiseSpark#embed} and the local
 * all-MiniLM-L6-v2 model, writes the result as Parquet with Spark's own writer, reads it back,
 * checks that every paragraph came back with a vector, and prints one row. The same code runs on a
 * cluster with a different master.
 *
 * <pre>
 * ./batchwise example spark-embed                 # Parquet into a temporary directory, removed at the end
 * ./batchwise example spark-embed embedded.parquet   # Parquet kept in embedded.parquet (a new directory)
 * </pre>
 *
 * <p>It runs from {@code examples/spark}'s own class path, which the launcher builds on first use,
 * so that Spark's jars never join the command line's.
 */
public final class SparkEmbedExample implements ExampleApp {
  /** How much of a paragraph the printed row shows. */
  private static final int SHOWN_CHARS = 60;

  /** How many of the vector's components the printed row shows. */
  private static final int SHOWN_COMPONENTS = 4;

  /** For {@code ServiceLoader} and {@code main}. */
  public SparkEmbedExample() {}

  /**
   * Runs the example.
   *
   * @param args the Parquet directory to write, optional
   * @throws Exception when it fails
   */
  public static void main(String[] args) throws Exception {
    System.exit(new SparkEmbedExample().run(List.of(args), System.out, System.err));
  }

  @Override
  public String name() {
    return "spark-embed";
  }

  @Override
  public String summary() {
    return "a local Spark job embeds the sample corpus with batchwise-spark, writes Parquet and reads it back";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    if (args.size() > 1) {
      throw new IllegalStateException(
          "spark-embed takes at most one argument, the Parquet directory to write; got "
              + args.size()
              + ": "
              + String.join(" ", args));
    }
    Path dir;
    boolean temporary = args.isEmpty();
    if (temporary) {
      dir = Files.createTempDirectory("batchwise-spark-embed").resolve("embedded.parquet");
    } else {
      dir = Path.of(args.get(0)).toAbsolutePath();
      if (Files.exists(dir)) {
        throw new IllegalStateException(
            "the Parquet directory " + dir + " already exists: name a new one");
      }
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("batchwise-spark-embed")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            // a few hundred rows on two cores: Spark's default of 200 shuffle partitions would be
            // 200 tasks
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    try {
      return embed(spark, dir, out, err);
    } finally {
      spark.stop();
      if (temporary) {
        deleteTree(dir.getParent());
      }
    }
  }

  private static int embed(SparkSession spark, Path dir, PrintStream out, PrintStream err) {
    List<Row> rows = new ArrayList<>();
    for (SampleCorpus.Paragraph p : SampleCorpus.paragraphs()) {
      rows.add(RowFactory.create(p.id(), p.topic(), p.text()));
    }
    StructType schema =
        new StructType()
            .add("id", DataTypes.StringType, false)
            .add("topic", DataTypes.StringType, false)
            .add("text", DataTypes.StringType, false);
    Dataset<Row> docs = spark.createDataFrame(rows, schema);

    EmbedSpec spec = EmbedSpec.builder("text").option("provider", "local").build();
    BatchwiseSpark.embed(docs, spec).write().parquet(dir.toString());

    Dataset<Row> back = spark.read().parquet(dir.toString());
    // one pass over what was read back: rows, rows with an error, the shortest and longest vector
    Row summary =
        back.agg(
                count(lit(1)),
                count(col(spec.errorColumn())),
                min(size(col(spec.outputColumn()))),
                max(size(col(spec.outputColumn()))))
            .first();
    long count = summary.getLong(0);
    long failed = summary.getLong(1);
    // null when no row has a vector
    int shortest = summary.isNullAt(2) ? 0 : summary.getInt(2);
    int longest = summary.isNullAt(3) ? 0 : summary.getInt(3);
    err.printf(
        Locale.ROOT,
        "embedded %d paragraphs in %d partitions with the local model; wrote Parquet to %s;"
            + " read back %d rows, %d with an error, vectors of %s dimensions%n",
        rows.size(),
        docs.rdd().getNumPartitions(),
        dir,
        count,
        failed,
        shortest == longest ? String.valueOf(shortest) : shortest + " to " + longest);

    Row first = back.orderBy("id").first();
    out.println(format(first, spec));
    return count == rows.size() && failed == 0 && shortest > 0 && shortest == longest ? 0 : 1;
  }

  /** {@code id [topic] "text..." -> 384 dimensions [0.0123, -0.0456, ...]} */
  static String format(Row row, EmbedSpec spec) {
    String text = row.getString(row.fieldIndex("text"));
    String shown = text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "...";
    List<Float> vector = row.getList(row.fieldIndex(spec.outputColumn()));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(SHOWN_COMPONENTS, vector.size()); i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", vector.get(i)));
    }
    return String.format(
        Locale.ROOT,
        "%s [%s] \"%s\" -> %d dimensions [%s, ...]",
        row.getString(row.fieldIndex("id")),
        row.getString(row.fieldIndex("topic")),
        shown,
        vector.size(),
        b);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
