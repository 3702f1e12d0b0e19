package io.batchwise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static final ConfigOption<Integer> SIZE =
      ConfigOption.integer("pool.size", 1, 10, "pool size").withDefault(4);
  private static final ConfigOption<String> KEY =
      ConfigOption.secret("svc.api-key", "key", "SVC_KEY");
  private static final Map<String, ConfigOption<?>> KNOWN =
      Map.of(SIZE.key(), SIZE, KEY.key(), KEY);

  @Test
  @DisplayName(
      "takes the builder's value, then the system property, then the environment, then the default")
  void precedence() {
    Map<String, String> props = Map.of("batchwise.pool.size", "6");
    Map<String, String> env = Map.of("BATCHWISE_POOL_SIZE", "8");
    assertThat(Config.of(Map.of("pool.size", "5"), KNOWN, props::get, env::get).get(SIZE))
        .isEqualTo(5);
    assertThat(Config.of(Map.of(), KNOWN, props::get, env::get).get(SIZE)).isEqualTo(6);
    assertThat(Config.of(Map.of(), KNOWN, k -> null, env::get).get(SIZE)).isEqualTo(8);
    assertThat(Config.of(Map.of(), KNOWN, k -> null, k -> null).get(SIZE)).isEqualTo(4);
  }

  @Test
  @DisplayName("reads conventional environment aliases after BATCHWISE_<KEY>")
  void environmentAliases() {
    Config c = Config.of(Map.of(), KNOWN, k -> null, Map.of("SVC_KEY", "sk-123")::get);
    assertThat(c.find(KEY)).contains("sk-123");
    assertThat(c.isSet(KEY)).isTrue();
    assertThat(c.isSet(SIZE)).as("a default does not count as set").isFalse();
  }

  @Test
  @DisplayName("an out-of-range value names the option, the value and the range")
  void rangeErrors() {
    Config c = Config.of(Map.of("pool.size", "99"), KNOWN, k -> null, k -> null);
    assertThatThrownBy(() -> c.get(SIZE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("option 'pool.size' must be in [1, 10], was 99");
    Config malformed = Config.of(Map.of("pool.size", "many"), KNOWN, k -> null, k -> null);
    assertThatThrownBy(() -> malformed.get(SIZE))
        .hasMessage("option 'pool.size' must be a whole number in [1, 10], was 'many'");
  }

  @Test
  @DisplayName(
      "an option narrowed to a limit known at run time keeps its key and reports the new bound")
  void narrowed() {
    Config c = Config.of(Map.of("pool.size", "7"), KNOWN, k -> null, k -> null);
    assertThat(c.get(SIZE.atMost(8))).isEqualTo(7);
    assertThatThrownBy(() -> c.get(SIZE.atMost(5)))
        .hasMessage("option 'pool.size' must be in [1, 5], was 7");
    assertThat(Config.of(Map.of(), KNOWN, k -> null, k -> null).find(SIZE.atMost(5)))
        .as("a narrowed option has no default: the run-time limit is the reader's")
        .isEmpty();
  }

  @Test
  @DisplayName("a required option that no source sets names every way to set it")
  void required() {
    Config c = Config.of(Map.of(), KNOWN, k -> null, k -> null);
    assertThat(c.find(KEY)).isEmpty();
    assertThatThrownBy(() -> c.get(KEY))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "option 'svc.api-key' is required: set it on the builder, as -Dbatchwise.svc.api-key,"
                + " or as the environment variable BATCHWISE_SVC_API_KEY or SVC_KEY");
  }

  @Test
  @DisplayName("a default out of the option's own range fails where the option is declared")
  void defaultsAreChecked() {
    assertThatThrownBy(() -> ConfigOption.integer("pool.size", 1, 10, "pool size").withDefault(11))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("option 'pool.size' must be in [1, 10], was 11");
    assertThat(SIZE.defaultText()).isEqualTo("4");
  }

  @Test
  @DisplayName("an unknown key lists the known ones")
  void unknownKey() {
    Config c = Config.of(Map.of(), KNOWN, k -> null, k -> null);
    assertThatThrownBy(() -> c.requireKnown("pool.sise"))
        .hasMessageContaining("pool.sise")
        .hasMessageContaining("pool.size");
  }

  @Test
  @DisplayName("never prints a secret, in toString or in an error")
  void secretsAreMasked() {
    Config c = Config.of(Map.of("svc.api-key", "sk-very-secret"), KNOWN, k -> null, k -> null);
    assertThat(c.toString()).doesNotContain("sk-very-secret").contains("****");
    assertThat(KEY.toString()).doesNotContain("sk-very-secret");
  }

  @Test
  @DisplayName("reads every kind of value the way the configuration reference describes it")
  void kinds() {
    ConfigOption<Duration> timeout = ConfigOption.duration("t", ConfigOption.POSITIVE, "t");
    ConfigOption<Long> size = ConfigOption.bytes("s", 1, Long.MAX_VALUE, "s");
    ConfigOption<Boolean> flag = ConfigOption.flag("f", false, "f");
    ConfigOption<Thread.State> state = ConfigOption.choice("c", Thread.State.class, "c");
    assertThat(timeout.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(timeout.parse("PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThat(size.parse("256mb")).isEqualTo(256L << 20);
    assertThat(flag.parse("TRUE")).isTrue();
    assertThat(state.parse("timed-waiting")).isEqualTo(Thread.State.TIMED_WAITING);
    assertThat(state.format(Thread.State.TIMED_WAITING)).isEqualTo("timed-waiting");
    assertThatThrownBy(() -> timeout.parse("0s")).hasMessage("option 't' must be positive, was 0s");
    assertThatThrownBy(() -> timeout.parse("soon"))
        .hasMessageContaining("option 't' must be a duration such as")
        .hasMessageContaining("was 'soon'");
    assertThatThrownBy(() -> flag.parse("yes"))
        .hasMessage("option 'f' must be true or false, was 'yes'");
    assertThatThrownBy(() -> state.parse("odd"))
        .hasMessageStartingWith("option 'c' must be new, runnable,");
    assertThat(timeout.allowed()).isEqualTo("a positive duration");
    assertThat(size.allowed()).isEqualTo("a size in bytes such as 256mb or 1g, at least 1");
  }

  @Test
  @DisplayName(
      "a decimal option reads numbers in its range and writes whole ones without a fraction")
  void decimals() {
    ConfigOption<Double> temperature = ConfigOption.decimal("temp", 0, 2, "t");
    assertThat(temperature.parse("0.7")).isEqualTo(0.7);
    assertThat(temperature.parse("2")).isEqualTo(2.0);
    assertThat(temperature.format(2.0)).isEqualTo("2");
    assertThat(temperature.format(0.25)).isEqualTo("0.25");
    assertThat(temperature.allowed()).isEqualTo("a number from 0 to 2");
    assertThatThrownBy(() -> temperature.parse("2.5"))
        .hasMessage("option 'temp' must be in [0, 2], was 2.5");
    assertThatThrownBy(() -> temperature.parse("warm"))
        .hasMessage("option 'temp' must be a number in [0, 2], was 'warm'");
    // Java's own spellings are not numbers as configured
    assertThatThrownBy(() -> temperature.parse("NaN")).hasMessageContaining("was 'NaN'");
    assertThatThrownBy(() -> temperature.parse("1d")).hasMessageContaining("was '1d'");
  }

  @Test
  @DisplayName(
      "a choice with its own spelling writes and lists it, and reads it in any case with - or _")
  void choiceSpelledAsTheServiceNamesIt() {
    ConfigOption<Thread.State> state =
        ConfigOption.choice("c", Thread.State.class, s -> s.name().toLowerCase(Locale.ROOT), "c")
            .withDefault(Thread.State.TIMED_WAITING);
    assertThat(state.defaultText()).isEqualTo("timed_waiting");
    assertThat(state.values()).contains("timed_waiting", "new");
    assertThat(state.parse("TIMED_WAITING")).isEqualTo(Thread.State.TIMED_WAITING);
    assertThat(state.parse("timed-waiting")).isEqualTo(Thread.State.TIMED_WAITING);
    assertThatThrownBy(() -> state.parse("odd"))
        .hasMessageContaining("timed_waiting or terminated, was 'odd'");
  }

  @Test
  @DisplayName("derives the system property and environment variable from the key")
  void derivedNames() {
    assertThat(KEY.systemProperty()).isEqualTo("batchwise.svc.api-key");
    assertThat(KEY.environmentVariable()).isEqualTo("BATCHWISE_SVC_API_KEY");
  }
}
