package io.batchwise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static final ConfigOption SIZE = ConfigOption.of("pool.size", "4", "pool size");
  private static final ConfigOption KEY = ConfigOption.secret("svc.api-key", "key", "SVC_KEY");
  private static final Map<String, ConfigOption> KNOWN = Map.of(SIZE.key(), SIZE, KEY.key(), KEY);

  @Test
  @DisplayName("takes the builder's value, then the system property, then the environment, then the default")
  void precedence() {
    Map<String, String> props = Map.of("batchwise.pool.size", "6");
    Map<String, String> env = Map.of("BATCHWISE_POOL_SIZE", "8");
    assertThat(Config.of(Map.of("pool.size", "5"), KNOWN, props::get, env::get).getInt("pool.size", 0, 1, 10)).isEqualTo(5);
    assertThat(Config.of(Map.of(), KNOWN, props::get, env::get).getInt("pool.size", 0, 1, 10)).isEqualTo(6);
    assertThat(Config.of(Map.of(), KNOWN, k -> null, env::get).getInt("pool.size", 0, 1, 10)).isEqualTo(8);
    assertThat(Config.of(Map.of(), KNOWN, k -> null, k -> null).getInt("pool.size", 0, 1, 10)).isEqualTo(4);
  }

  @Test
  @DisplayName("reads conventional environment aliases after BATCHWISE_<KEY>")
  void environmentAliases() {
    Config c = Config.of(Map.of(), KNOWN, k -> null, Map.of("SVC_KEY", "sk-123")::get);
    assertThat(c.get("svc.api-key")).contains("sk-123");
  }

  @Test
  @DisplayName("an out-of-range value names the option, the value and the range")
  void rangeErrors() {
    Config c = Config.of(Map.of("pool.size", "99"), KNOWN, k -> null, k -> null);
    assertThatThrownBy(() -> c.getInt("pool.size", 4, 1, 10))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'pool.size'").hasMessageContaining("[1, 10]").hasMessageContaining("99");
  }

  @Test
  @DisplayName("an unknown key lists the known ones")
  void unknownKey() {
    Config c = Config.of(Map.of(), KNOWN, k -> null, k -> null);
    assertThatThrownBy(() -> c.get("pool.sise")).hasMessageContaining("pool.sise").hasMessageContaining("pool.size");
  }

  @Test
  @DisplayName("never prints a secret, in toString or in an error")
  void secretsAreMasked() {
    Config c = Config.of(Map.of("svc.api-key", "sk-very-secret"), KNOWN, k -> null, k -> null);
    assertThat(c.toString()).doesNotContain("sk-very-secret").contains("****");
    assertThatThrownBy(() -> c.getInt("svc.api-key", 0, 0, 1)).satisfies(e ->
        assertThat(e.getMessage()).doesNotContain("sk-very-secret"));
  }

  @Test
  @DisplayName("parses durations in ms, s, m, h and ISO-8601")
  void durations() {
    assertThat(Config.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Config.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Config.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Config.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Config.parseDuration("PT2S")).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  @DisplayName("derives the system property and environment variable from the key")
  void derivedNames() {
    assertThat(KEY.systemProperty()).isEqualTo("batchwise.svc.api-key");
    assertThat(KEY.environmentVariable()).isEqualTo("BATCHWISE_SVC_API_KEY");
  }
}
