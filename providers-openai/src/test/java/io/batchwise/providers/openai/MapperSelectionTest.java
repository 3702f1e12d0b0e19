package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.Batchwise;
import io.batchwise.config.ConfigurationException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Which options count for the mapper: the server options it shares with the {@code openai} provider
 * count for it once it is chosen by id; until then a stray one beside another provider is refused.
 */
class MapperSelectionTest {

  /**
   * The default embedding provider, local, which is not on this module's class path and is never
   * created here.
   */
  private static Batchwise.Builder builder() {
    return Batchwise.builder().sources(new Properties(), Map.of());
  }

  @Test
  @DisplayName(
      "a shared server option beside another provider is refused until the mapper is chosen, and the message says how")
  void sharedOptionNeedsTheMapperChosen() {
    assertThatThrownBy(() -> builder().option("openai.base-url", "http://localhost:1/v1").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "option 'openai.base-url' is an option of provider 'openai', but the selected provider is 'local'")
        .hasMessageContaining(
            "it is also an option of mapper 'openai', which counts once chosen by id (option 'mapper')");
    try (Batchwise bw =
        builder()
            .option("mapper", "openai")
            .option("openai.base-url", "http://localhost:1/v1")
            .build()) {
      assertThat(bw.mapper().model()).isEqualTo("gpt-4o-mini");
    }
  }

  @Test
  @DisplayName(
      "the mapper's own options need no choice; chosen by another id, they are refused naming it")
  void ownOptions() {
    // the key from the environment, where options are not checked for belonging
    try (Batchwise bw =
        Batchwise.builder()
            .sources(new Properties(), Map.of("OPENAI_API_KEY", TestProviders.KEY))
            .option("openai.chat.model", "gpt-4.1-mini")
            .build()) {
      assertThat(bw.mapper().model()).isEqualTo("gpt-4.1-mini");
    }
    assertThatThrownBy(
            () -> builder().option("mapper", "other").option("openai.chat.model", "m").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "option 'openai.chat.model' is an option of mapper 'openai', but the selected mapper is 'other'");
  }

  @Test
  @DisplayName(
      "a bad value of a chosen mapper's option fails build(), naming the option and what is allowed")
  void badValuesFailTheBuild() {
    assertThatThrownBy(
            () ->
                builder().option("mapper", "openai").option("openai.chat.temperature", "3").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("option 'openai.chat.temperature' must be in [0, 2], was 3");
    assertThatThrownBy(
            () ->
                builder()
                    .option("mapper", "openai")
                    .option("openai.chat.response-format", "xml")
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "option 'openai.chat.response-format' must be json_schema, json_object or text, was 'xml'");
    // the API's own spelling and the hyphenated one both read
    try (Batchwise bw =
        builder()
            .option("mapper", "openai")
            .option("openai.chat.response-format", "json-object")
            .option("openai.base-url", "http://localhost:1/v1")
            .build()) {
      assertThat(
              bw.config().get(io.batchwise.providers.openai.internal.ChatOptions.RESPONSE_FORMAT))
          .isEqualTo(io.batchwise.providers.openai.internal.ChatOptions.Format.JSON_OBJECT);
    }
  }
}
