package io.batchwise.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.cache.redis.testing.EmbeddingsTestServer;
import io.batchwise.cache.redis.testing.TestRedis;
import io.batchwise.spark.internal.EmbedPartition;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@link BatchwiseSpark#embed} on a real Spark ({@code local[2]}, one session for the whole class:
 * a session is the expensive part), against a loopback OpenAI-compatible server whose vector is a
 * function of the text alone, the in-process model, and a real Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchwiseSparkTest {
  private static final String API_KEY = "sk-from-spark-conf-7f3a9";

  private SparkSession spark;
  private EmbeddingsTestServer server;
  private TestRedis redis;

  @BeforeAll
  void start() throws Exception {
    server = EmbeddingsTestServer.start(TextVectors::of);
    redis = TestRedis.start();
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("batchwise-spark-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            // the executors' key, as a cluster would pass it: --conf
            // spark.batchwise.secret.openai.api-key=...
            .config(BatchwiseSpark.SECRET_CONF_PREFIX + "openai.api-key", API_KEY)
            // a Redis URI may carry a password: it comes the same way
            .config(BatchwiseSpark.SECRET_CONF_PREFIX + "cache.uri", redis.uri())
            .getOrCreate();
  }

  @AfterAll
  void stop() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    server.close();
    redis.close();
  }

  private Map<String, String> openai() {
    Map<String, String> o = new HashMap<>();
    o.put("provider", "openai");
    o.put("openai.base-url", server.baseUrl());
    o.put("openai.model", "text-embedding-3-small");
    o.put("openai.dimensions", String.valueOf(TextVectors.DIMENSIONS));
    o.put("openai.encoding-format", "float");
    return o;
  }

  /** {@code id} 0..n-1 and {@code text}, in {@code partitions} contiguous ranges of ids. */
  private Dataset<Row> texts(int n, int partitions, String prefix) {
    return spark
        .range(0, n, 1, partitions)
        .select(col("id"), concat(lit(prefix), col("id").cast("string")).as("text"));
  }

  private static List<String> textsOf(List<Row> rows) {
    return rows.stream().map(r -> r.getString(r.fieldIndex("text"))).toList();
  }

  private static float[] vector(Row row) {
    int at = row.fieldIndex("embedding");
    if (row.isNullAt(at)) {
      return null;
    }
    List<Float> values = row.getList(at);
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    return v;
  }

  @Test
  @DisplayName(
      "20,000 texts in 8 partitions: the same rows, ids and vectors as one JVM's embedAll, in order, no errors")
  void openaiMatchesOneJvm() {
    Dataset<Row> in = texts(20_000, 8, "document number ");
    Dataset<Row> out =
        BatchwiseSpark.embed(in, EmbedSpec.builder("text").options(openai()).build());
    assertThat(out.columns()).containsExactly("id", "text", "embedding", "embedding_error");
    assertThat(out.rdd().getNumPartitions()).isEqualTo(8);
    List<Row> rows = out.collectAsList();

    List<String> texts = textsOf(rows);
    EmbedResult oneJvm;
    try (Batchwise bw =
        Batchwise.builder().options(openai()).option("openai.api-key", API_KEY).build()) {
      oneJvm = bw.embedder().embedAll(texts);
    }
    assertThat(rows).hasSize(20_000);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      if (row.getLong(0) != i) {
        wrong.add("row " + i + " has id " + row.getLong(0));
      } else if (row.getString(3) != null) {
        wrong.add("row " + i + " failed: " + row.getString(3));
      } else if (!Arrays.equals(vector(row), oneJvm.vectors().get(i))) {
        wrong.add("row " + i + "'s vector differs");
      }
    }
    assertThat(wrong)
        .as("rows out of order, failed, or with another vector than one JVM's")
        .isEmpty();
    assertThat(server.authorizations())
        .as("the executors' key came from Spark conf")
        .containsExactly("Bearer " + API_KEY);
  }

  @Test
  @DisplayName(
      "a re-run of the same job makes no provider call (the shared Redis cache) and returns identical vectors")
  void rerunIsServedByTheCache() {
    Map<String, String> options = openai();
    options.put("cache", "redis");
    options.put("cache.key-prefix", "rerun:");
    // generous: past the default 500 ms, a busy machine's slow reply would cost a miss (a call) or
    // a dropped store
    options.put("cache.redis.timeout", "10s");
    EmbedSpec spec = EmbedSpec.builder("text").options(options).build();
    Dataset<Row> in = texts(2_000, 4, "cached text ");
    List<Row> first = BatchwiseSpark.embed(in, spec).collectAsList();
    int callsBefore = server.arrivals().size();
    List<Row> second = BatchwiseSpark.embed(in, spec).collectAsList();
    assertThat(server.arrivals().size()).as("provider calls of the re-run").isEqualTo(callsBefore);
    assertThat(second).hasSize(2_000);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).getString(3)).isNull();
      assertThat(vector(second.get(i))).containsExactly(vector(first.get(i)));
    }
  }

  /** 2,000 rows in 4 partitions; every 100th text too long (1%), and row 1,001's text null. */
  private Dataset<Row> poisoned() {
    String longText = "x".repeat(300);
    return texts(2_000, 4, "fine text ")
        .select(
            col("id"),
            when(col("id").equalTo(1_001), lit(null).cast("string"))
                .when(
                    col("id").mod(100).equalTo(0), concat(lit(longText), col("id").cast("string")))
                .otherwise(col("text"))
                .as("text"));
  }

  private Map<String, String> limited() {
    Map<String, String> options = openai();
    options.put("max-input-chars", "200");
    return options;
  }

  @Test
  @DisplayName(
      "1% poisoned inputs (and a null): exactly those rows carry errors, the others their vectors")
  void poisonedRowsCarryErrors() {
    List<Row> rows =
        BatchwiseSpark.embed(poisoned(), EmbedSpec.builder("text").options(limited()).build())
            .collectAsList();
    assertThat(rows).hasSize(2_000);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      String error = row.getString(3);
      boolean poisoned = i % 100 == 0;
      if (row.getLong(0) != i) {
        wrong.add("row " + i + " has id " + row.getLong(0));
      } else if (i == 1_001) {
        if (!"the input column 'text' is null".equals(error) || vector(row) != null) {
          wrong.add("the null row: " + error);
        }
      } else if (poisoned != (error != null) || poisoned != (vector(row) == null)) {
        wrong.add("row " + i + ": error " + error);
      } else if (poisoned && !(error.contains("max-input-chars") && error.contains("200"))) {
        wrong.add("row " + i + "'s error does not name the option and its limit: " + error);
      } else if (!poisoned && !Arrays.equals(vector(row), TextVectors.of(row.getString(1)))) {
        wrong.add("row " + i + "'s vector is not its text's");
      }
    }
    assertThat(wrong).as("exactly the poisoned rows and the null one carry errors").isEmpty();
  }

  @Test
  @DisplayName("with failOnError the job fails naming a poisoned row's partition and position")
  void failOnErrorNamesTheRow() {
    EmbedSpec spec = EmbedSpec.builder("text").options(limited()).failOnError(true).build();
    Dataset<Row> out = BatchwiseSpark.embed(poisoned(), spec);
    assertThatThrownBy(out::collectAsList)
        .isInstanceOf(SparkException.class)
        .satisfies(
            e -> {
              Matcher m =
                  Pattern.compile(
                          "row (\\d+) of partition (\\d+) \\(column 'text'\\) was not embedded: .*max-input-chars")
                      .matcher(e.getMessage());
              assertThat(m.find()).as("message: %s", e.getMessage()).isTrue();
              long id = Long.parseLong(m.group(2)) * 500 + Long.parseLong(m.group(1));
              assertThat(id % 100).as("a poisoned row, id %d", id).isZero();
            });
  }

  @Test
  @DisplayName("the local model on 200 texts: each vector within cosine 1e-5 of one JVM's")
  void localModelMatchesOneJvm() {
    Map<String, String> options = Map.of("provider", "local");
    Dataset<Row> in =
        spark
            .range(0, 200, 1, 2)
            .select(
                col("id"),
                concat(
                        lit("The quick brown fox number "),
                        col("id").cast("string"),
                        lit(" jumps over the lazy dog"))
                    .as("text"));
    List<Row> rows =
        BatchwiseSpark.embed(in, EmbedSpec.builder("text").options(options).build())
            .collectAsList();
    List<float[]> oneJvm;
    try (Batchwise bw = Batchwise.builder().options(options).build()) {
      oneJvm = bw.embedder().embedAll(textsOf(rows)).vectors();
    }
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).getString(3)).isNull();
      assertThat(cosine(vector(rows.get(i)), oneJvm.get(i)))
          .as("row %d", i)
          .isCloseTo(1.0, within(1e-5));
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * (double) b[i];
      na += a[i] * (double) a[i];
      nb += b[i] * (double) b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  @DisplayName(
      "the key's Spark conf name is hidden by Spark's default redaction, and no task carries it")
  void keyIsRedactedAndNeverSerialized() throws Exception {
    List<Tuple2<String, String>> all =
        new ArrayList<>(List.of(spark.sparkContext().conf().getAll()));
    Map<String, String> redacted = new HashMap<>();
    for (Tuple2<String, String> kv :
        CollectionConverters.asJava(
            Utils.redact(spark.sparkContext().conf(), CollectionConverters.asScala(all).toSeq()))) {
      redacted.put(kv._1(), kv._2());
    }
    assertThat(redacted.get(BatchwiseSpark.SECRET_CONF_PREFIX + "openai.api-key"))
        .isNotNull()
        .doesNotContain(API_KEY)
        .contains("redacted");
    assertThat(redacted.values()).noneMatch(v -> v.contains(API_KEY));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(new EmbedPartition(EmbedSpec.builder("text").options(openai()).build(), 1));
    }
    assertThat(bytes.toString(StandardCharsets.ISO_8859_1))
        .contains(server.baseUrl())
        .doesNotContain(API_KEY);
  }

  @Test
  @DisplayName(
      "a missing or non-string input column, or an output column already there, fails naming the column")
  void badColumnsNamed() {
    Dataset<Row> in = texts(10, 1, "t ");
    assertThatThrownBy(
            () -> BatchwiseSpark.embed(in, EmbedSpec.builder("body").options(openai()).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no column 'body'")
        .hasMessageContaining("id, text");
    assertThatThrownBy(
            () -> BatchwiseSpark.embed(in, EmbedSpec.builder("id").options(openai()).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'id' is bigint, not string");
    assertThatThrownBy(
            () ->
                BatchwiseSpark.embed(
                    in, EmbedSpec.builder("text").outputColumn("id").options(openai()).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already has a column 'id'");
    assertThatThrownBy(
            () ->
                BatchwiseSpark.embed(
                    in, EmbedSpec.builder("text").option("no.such.option", "1").build()))
        .hasMessageContaining("no.such.option");
  }
}
