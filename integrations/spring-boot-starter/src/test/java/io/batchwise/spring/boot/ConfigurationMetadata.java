package io.batchwise.spring.boot;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchwise.Batchwise;
import io.batchwise.config.ConfigOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Spring Boot's configuration metadata for the {@code batchwise.*} properties, made from the
 * options Batchwise declares on this module's test class path (core and every shipped module that
 * declares options), so that IDEs complete and document them. Boot's configuration processor cannot
 * see them: they are {@link ConfigOption}s, not {@code @ConfigurationProperties} fields. Run {@link
 * #main} to rewrite the committed file after adding options; {@code ConfigurationMetadataTest}
 * fails while it differs.
 */
final class ConfigurationMetadata {
  /** The committed file, relative to this module. */
  static final Path FILE =
      Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");

  private ConfigurationMetadata() {}

  /** The metadata as JSON text, one property per declared option, by key. */
  static String json() throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.putArray("groups")
        .addObject()
        .put("name", "batchwise")
        .put("type", Batchwise.class.getName())
        .put("sourceType", BatchwiseAutoConfiguration.class.getName())
        .put(
            "description",
            "Batchwise options: the keys of the configuration reference, with the prefix batchwise.");
    ArrayNode properties = root.putArray("properties");
    for (ConfigOption<?> o : Batchwise.declaredOptions().values()) {
      ObjectNode p =
          properties
              .addObject()
              .put("name", "batchwise." + o.key())
              .put("type", String.class.getName())
              .put("sourceType", Batchwise.class.getName())
              .put("description", o.description() + (o.secret() ? " Secret: never printed." : ""));
      if (o.defaultText() != null && !o.defaultText().isEmpty()) {
        p.put("defaultValue", o.defaultText());
      }
    }
    root.putArray("hints");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
    return json.writer(printer).writeValueAsString(root) + "\n";
  }

  /**
   * Rewrites the committed file; run from this module's directory.
   *
   * @param args none
   * @throws IOException when the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    Files.writeString(FILE, json(), StandardCharsets.UTF_8);
  }
}
