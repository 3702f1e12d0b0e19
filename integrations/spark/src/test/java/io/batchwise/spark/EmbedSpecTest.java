package io.batchwise.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The spec: serializable, and never a carrier of secrets. */
class EmbedSpecTest {

  @Test
  @DisplayName("a secret option is refused, saying how to give it to the executors")
  void refusesSecrets() {
    assertThatThrownBy(
            () -> EmbedSpec.builder("text").option("openai.api-key", "sk-never-in-a-spec"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("option 'openai.api-key' is a secret")
        .hasMessageContaining("spark.batchwise.secret.openai.api-key")
        .hasMessageContaining("OPENAI_API_KEY")
        .hasMessageNotContaining("sk-never-in-a-spec");
    assertThatThrownBy(() -> EmbedSpec.builder("text").option("cache.redis.password", "pw"))
        .hasMessageContaining("spark.batchwise.secret.cache.redis.password");
  }

  @Test
  @DisplayName("defaults, and a round trip through Java serialization")
  void serializable() throws Exception {
    EmbedSpec spec =
        EmbedSpec.builder("body").option("provider", "openai").failOnError(true).build();
    assertThat(spec.outputColumn()).isEqualTo("embedding");
    assertThat(spec.errorColumn()).isEqualTo("embedding_error");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(spec);
    }
    try (ObjectInputStream i =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(i.readObject()).isEqualTo(spec);
    }
  }

  @Test
  @DisplayName("two columns with one name, or an option set twice, fail naming them")
  void conflicts() {
    assertThatThrownBy(() -> EmbedSpec.builder("text").outputColumn("text").build())
        .hasMessageContaining("input column 'text', output column 'text'");
    assertThatThrownBy(
            () -> EmbedSpec.builder("text").option("provider", "a").option("provider", "b"))
        .hasMessageContaining("option 'provider' was already set");
  }
}
