package io.batchwise.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.config.ConfigOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration reference cannot go stale: every option known on this classpath (which
 * holds every module) must have a row naming its key, default, system property and environment
 * variables. Print the rows with {@link ConfigReference#main}.
 */
class ConfigReferenceTest {

  private static List<String> readme() throws IOException {
    return Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName(
      "every option on the classpath has a README row with its default, system property and environment variables")
  void everyOptionDocumented() throws IOException {
    List<String> lines = readme();
    List<ConfigOption<?>> options = ConfigReference.all();
    assertThat(options)
        .extracting(ConfigOption::key)
        .contains("provider", "cache", "scheduler.close-mode", "hashing.dimensions");
    for (ConfigOption<?> o : options) {
      String cell = "| `" + o.key() + "` |";
      List<String> rows = lines.stream().filter(l -> l.startsWith(cell)).toList();
      assertThat(rows)
          .as("README row for option '%s' (run ConfigReference.main to print it)", o.key())
          .hasSize(1);
      assertThat(rows.get(0))
          .as("row of '%s'", o.key())
          .contains("| " + ConfigReference.defaultCell(o) + " |")
          .contains("`-D" + o.systemProperty() + "`")
          .contains(ConfigReference.environmentCell(o));
    }
  }

  @Test
  @DisplayName("the README documents every exit code the command line uses")
  void exitCodesDocumented() throws IOException {
    String readme = String.join("\n", readme());
    for (int code = 0; code <= 5; code++) {
      assertThat(readme).contains("| " + code + " | ");
    }
  }
}
