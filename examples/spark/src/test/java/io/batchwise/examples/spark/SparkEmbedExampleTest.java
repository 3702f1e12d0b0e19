package io.batchwise.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.Examples;
import io.batchwise.examples.demo.SampleCorpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batchwise example spark-embed}, run in-process as the command line runs it (one Spark
 * session), its Parquet files then read with Parquet's own reader, not Spark's: every paragraph of
 * the sample corpus is there, with its columns, a vector of the model's 384 dimensions and no
 * error, and the printed row is the first one's.
 */
class SparkEmbedExampleTest {
  /** all-MiniLM-L6-v2's output, the local provider's default model. */
  private static final int DIMENSIONS = 384;

  private record Stored(String topic, String text, float[] vector, boolean hasError) {}

  @Test
  @DisplayName(
      "spark-embed writes every paragraph with a 384-dimension vector to Parquet and prints the first row")
  void writesEveryParagraphToParquet(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("embedded.parquet");
    ExampleApp app = Examples.named("spark-embed").orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        app.run(
            List.of(dir.toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as("stdout: %s%nstderr: %s", printed, err).isZero();

    Map<String, Stored> stored = readParquet(dir);
    Map<String, SampleCorpus.Paragraph> paragraphs =
        SampleCorpus.paragraphs().stream()
            .collect(
                Collectors.toMap(
                    SampleCorpus.Paragraph::id, p -> p, (a, b) -> a, LinkedHashMap::new));
    assertThat(paragraphs).hasSize(270);
    assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(paragraphs.keySet());
    paragraphs.forEach(
        (id, p) -> {
          Stored s = stored.get(id);
          assertThat(s.topic()).as(id).isEqualTo(p.topic());
          assertThat(s.text()).as(id).isEqualTo(p.text());
          assertThat(s.hasError()).as("%s has an error", id).isFalse();
          assertThat(s.vector()).as(id).hasSize(DIMENSIONS);
          double norm = 0;
          for (float f : s.vector()) {
            norm += f * f;
          }
          assertThat(Math.sqrt(norm))
              .as("%s's vector is normalized", id)
              .isCloseTo(1.0, within(1e-3));
        });
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("read back 270 rows, 0 with an error, vectors of 384 dimensions");

    // the printed row is the first by id, as stored in the file
    String firstId = new TreeMap<>(stored).firstKey();
    Stored first = stored.get(firstId);
    String shown =
        first.text().length() <= 60 ? first.text() : first.text().substring(0, 60) + "...";
    String components =
        String.format(
            Locale.ROOT,
            "%.4f, %.4f, %.4f, %.4f",
            first.vector()[0],
            first.vector()[1],
            first.vector()[2],
            first.vector()[3]);
    assertThat(printed.strip())
        .isEqualTo(
            firstId
                + " ["
                + first.topic()
                + "] \""
                + shown
                + "\" -> "
                + DIMENSIONS
                + " dimensions ["
                + components
                + ", ...]");
  }

  @Test
  @DisplayName(
      "spark-embed refuses a Parquet directory that exists, naming it, before starting Spark")
  void refusesAnExistingDirectory(@TempDir Path tmp) {
    ExampleApp app = Examples.named("spark-embed").orElseThrow();
    PrintStream nowhere =
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> app.run(List.of(tmp.toString()), nowhere, nowhere))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(tmp.toString())
        .hasMessageContaining("already exists");
  }

  /**
   * Every row of the directory's Parquet files, by id, read with parquet-hadoop's example reader.
   */
  private static Map<String, Stored> readParquet(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    assertThat(files).as("Parquet files in %s", dir).isNotEmpty();
    Map<String, Stored> rows = new LinkedHashMap<>();
    for (Path file : files) {
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
              .build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          String id = g.getString("id", 0);
          // Spark writes array<float> as a three-level LIST: embedding.list[i].element
          float[] vector = new float[0];
          if (g.getFieldRepetitionCount("embedding") > 0) {
            Group list = g.getGroup("embedding", 0);
            vector = new float[list.getFieldRepetitionCount("list")];
            for (int i = 0; i < vector.length; i++) {
              vector[i] = list.getGroup("list", i).getFloat("element", 0);
            }
          }
          Stored previous =
              rows.put(
                  id,
                  new Stored(
                      g.getString("topic", 0),
                      g.getString("text", 0),
                      vector,
                      g.getFieldRepetitionCount("embedding_error") > 0));
          assertThat(previous).as("row %s stored twice", id).isNull();
        }
      }
    }
    return rows;
  }
}
