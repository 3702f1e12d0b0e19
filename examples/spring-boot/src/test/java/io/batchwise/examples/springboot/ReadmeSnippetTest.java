package io.batchwise.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Spring Boot section shows this application's files as they are, so the snippet a
 * reader copies is the one {@code SpringBootExampleTest} runs.
 */
class ReadmeSnippetTest {
  private static final Path README = Path.of("..", "..", "README.md");
  private static final String SECTION = "### Spring Boot\n";
  private static final Pattern NEXT_HEADING = Pattern.compile("\n#{2,3} ");

  /** A file: a marker naming its path in this module, then a fenced block holding it. */
  private static final Pattern FILE =
      Pattern.compile("<!-- file: (\\S+) -->\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);

  @Test
  void theReadmesSpringBootSnippetsAreThisApplicationsFiles() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf(SECTION);
    assertThat(start).as("the README has the section '%s'", SECTION.strip()).isNotNegative();
    Matcher next = NEXT_HEADING.matcher(readme).region(start + SECTION.length(), readme.length());
    Matcher m = FILE.matcher(readme.substring(start, next.find() ? next.start() : readme.length()));
    Map<String, String> files = new LinkedHashMap<>();
    while (m.find()) {
      files.put(m.group(1), m.group(2) + "\n");
    }
    assertThat(files)
        .containsOnlyKeys(
            "src/main/resources/application.properties",
            "src/main/java/io/batchwise/examples/springboot/FaqService.java");
    for (Map.Entry<String, String> f : files.entrySet()) {
      assertThat(f.getValue())
          .as("the README's %s", f.getKey())
          .isEqualTo(Files.readString(Path.of(f.getKey()), StandardCharsets.UTF_8));
    }
  }
}
