package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The NOTICE that ships in this module's jar names every model the provider can load by name, with
 * the licence its authors publish it under: a model added to {@link ModelCatalog} without a NOTICE
 * line fails here. The file read is the one the build copied into the jar's content ({@code
 * META-INF/NOTICE} of {@code target/classes}), so the test also shows that the copy happened.
 */
class NoticeTest {

  @Test
  @DisplayName("META-INF/NOTICE names each named model with its licence")
  void theNoticeNamesEveryNamedModelAndItsLicence() throws Exception {
    Path notice = Path.of("target", "classes", "META-INF", "NOTICE");
    assertThat(notice)
        .as("the build copies the repository's NOTICE into every jar")
        .isRegularFile();
    List<String> lines = Files.readAllLines(notice, StandardCharsets.UTF_8);

    assertThat(ModelCatalog.names()).isNotEmpty();
    for (String model : ModelCatalog.names()) {
      Pattern row = Pattern.compile("^\\s+" + Pattern.quote(model) + "\\s.*\\bLicen[cs]e\\b.*");
      List<String> rows =
          lines.stream().filter(l -> row.matcher(l).matches()).collect(Collectors.toList());
      assertThat(rows).as("a NOTICE row for model '%s' that names its licence", model).hasSize(1);
    }
  }
}
