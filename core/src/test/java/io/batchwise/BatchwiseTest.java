package io.batchwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The builder and the instance's life cycle. */
class BatchwiseTest {

  @Test
  @DisplayName("finds a provider by id through ServiceLoader and reads its options")
  void providerById() {
    try (Batchwise bw =
        Batchwise.builder().provider("fake").option("fake.dimensions", "12").build()) {
      assertThat(bw.embedder().providerId()).isEqualTo("fake");
      assertThat(bw.embedder().embed("hello")).hasSize(12);
    }
  }

  @Test
  @DisplayName("an unknown option fails at build(), naming it and listing the known ones")
  void unknownOption() {
    assertThatThrownBy(() -> Batchwise.builder().option("concurency", "4").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'concurency'")
        .hasMessageContaining("concurrency");
  }

  @Test
  @DisplayName(
      "an unknown option's message is one line with the closest names, not every known one")
  void unknownOptionSuggestsTheClosest() {
    assertThatThrownBy(() -> Batchwise.builder().option("max-atempts", "4").build())
        .hasMessage("unknown option 'max-atempts'; did you mean 'max-attempts'?");
    assertThatThrownBy(() -> Batchwise.builder().option("dimensions", "4").build())
        .hasMessage("unknown option 'dimensions'; did you mean 'fake.dimensions'?");
    assertThatThrownBy(() -> Batchwise.builder().option("zzzzzzzzzzzz", "4").build())
        .hasMessageStartingWith("unknown option 'zzzzzzzzzzzz'; no option has a name like it")
        .hasMessageNotContaining("concurrency");
  }

  @Test
  @DisplayName("an unknown batchwise.* system property fails at build()")
  void unknownSystemProperty() {
    Properties props = new Properties();
    props.setProperty("batchwise.cahce", "sqlite");
    assertThatThrownBy(() -> Batchwise.builder().sources(props, Map.of()).build())
        .hasMessageContaining("'cahce'")
        .hasMessageContaining("-Dbatchwise.cahce");
  }

  @Test
  @DisplayName("an out-of-range value fails at build(), naming the option and the range")
  void outOfRange() {
    assertThatThrownBy(
            () ->
                Batchwise.builder().provider(FakeEmbeddingProvider.small()).concurrency(0).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'concurrency'")
        .hasMessageContaining("[1, 1024]");
    assertThatThrownBy(() -> Batchwise.builder().option("call-timeout", "soon").build())
        .hasMessageContaining("'call-timeout'");
  }

  @Test
  @DisplayName(
      "job-timeout is off by default, a positive duration when set, and a zero or malformed one fails at build()")
  void jobTimeoutOption() {
    assertThatThrownBy(() -> Batchwise.builder().option("job-timeout", "0s").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("option 'job-timeout' must be positive, was 0");
    assertThatThrownBy(() -> Batchwise.builder().option("job-timeout", "-5s").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'job-timeout'");
    assertThatThrownBy(() -> Batchwise.builder().option("job-timeout", "soon").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'job-timeout'");
    try (Batchwise bw =
        Batchwise.builder()
            .provider(FakeEmbeddingProvider.small())
            .option("job-timeout", "2s")
            .sources(new Properties(), Map.of())
            .build()) {
      assertThat(bw.embedder().embedAll(List.of("in time")).allSucceeded()).isTrue();
    }
  }

  @Test
  @DisplayName(
      "the instance holds one set of call limits for its provider: concurrency as permits, the per-minute limits as one pacer")
  void oneSetOfCallLimits() {
    try (Batchwise bw =
        Batchwise.builder()
            .provider(FakeEmbeddingProvider.small())
            .concurrency(3)
            .option("requests-per-minute", "120")
            .option("tokens-per-minute", "5000")
            .sources(new Properties(), Map.of())
            .build()) {
      io.batchwise.scheduler.CallLimits limits = bw.callLimits();
      assertThat(bw.callLimits()).isSameAs(limits);
      assertThat(limits.permits().permits()).isEqualTo(3);
      assertThat(limits.pacer().requestsPerMinute()).isEqualTo(120);
      assertThat(limits.pacer().tokensPerMinute()).isEqualTo(5000);
    }
  }

  @Test
  @DisplayName("a provider that is not on the classpath fails at build(), naming the artifact")
  void missingProvider() {
    assertThatThrownBy(() -> Batchwise.builder().provider("openai").build())
        .hasMessageContaining("io.batchwise:batchwise-providers-openai");
  }

  @Test
  @DisplayName("the builder's value wins over system properties, which win over the environment")
  void precedence() {
    Properties props = new Properties();
    props.setProperty("batchwise.fake.dimensions", "6");
    Map<String, String> env =
        Map.of("BATCHWISE_FAKE_DIMENSIONS", "5", "BATCHWISE_PROVIDER", "fake");
    try (Batchwise bw = Batchwise.builder().sources(props, env).build()) {
      assertThat(bw.embedder().modelInfo().dimensions()).isEqualTo(6);
    }
    try (Batchwise bw = Batchwise.builder().sources(new Properties(), env).build()) {
      assertThat(bw.embedder().modelInfo().dimensions()).isEqualTo(5);
    }
  }

  @Test
  @DisplayName("settings may be given once; an instance and an id for the same thing conflict")
  void settingsOnce() {
    assertThatThrownBy(() -> Batchwise.builder().provider("fake").provider("fake"))
        .hasMessageContaining("'provider' was already set");
    assertThatThrownBy(
            () -> Batchwise.builder().provider("fake").provider(FakeEmbeddingProvider.small()))
        .hasMessageContaining("can not both be set");
  }

  @Test
  @DisplayName("close() closes the provider it created but not one passed in")
  void closesWhatItOpened() {
    FakeEmbeddingProvider mine = FakeEmbeddingProvider.small();
    try (Batchwise bw = Batchwise.builder().provider(mine).build()) {
      bw.embedder().embedAll(List.of("x"));
    }
    assertThat(mine.closed).isFalse();
    Batchwise bw = Batchwise.builder().provider("fake").build();
    FakeEmbeddingProvider created = (FakeEmbeddingProvider) bw.provider();
    bw.close();
    assertThat(created.closed).isTrue();
  }

  @Test
  @DisplayName("one meter registry and one scheduler are shared by everything")
  void sharesOneRegistry() {
    try (Batchwise bw = Batchwise.builder().provider(FakeEmbeddingProvider.small()).build()) {
      assertThat(bw.scheduler()).isSameAs(bw.scheduler());
      bw.embedder().embedAll(List.of("a"));
      assertThat(bw.meterRegistry().find("batchwise.embed.inputs").counter()).isNotNull();
    }
  }

  @Test
  @DisplayName("a typed option is checked when set and read back typed")
  void typedOptions() {
    assertThatThrownBy(() -> Batchwise.builder().option(CoreOptions.CONCURRENCY, 0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("option 'concurrency' must be in [1, 1024], was 0");
    try (Batchwise bw =
        Batchwise.builder()
            .provider("fake")
            .option(CoreOptions.CALL_TIMEOUT, Duration.ofMinutes(2))
            .build()) {
      assertThat(bw.config().get(CoreOptions.CALL_TIMEOUT)).isEqualTo(Duration.ofMinutes(2));
      assertThat(bw.config().get(CoreOptions.MAX_ATTEMPTS))
          .as("an unset option reads as its default")
          .isEqualTo(4);
    }
  }

  @Test
  @DisplayName(
      "build() reads every option of the selected provider, which is created only at first use")
  void buildChecksTheSelectedProvidersOptions() {
    assertThatThrownBy(
            () -> Batchwise.builder().provider("fake").option("fake.dimensions", "0").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("option 'fake.dimensions' must be in [1, 4096], was 0");
  }

  @Test
  @DisplayName("a secret option never appears in toString()")
  void secretsStayHidden() {
    try (Batchwise bw =
        Batchwise.builder().provider("fake").option("fake.api-key", "sk-top-secret").build()) {
      assertThat(bw.toString()).doesNotContain("sk-top-secret");
      assertThat((Object) bw.config().get(bw.config().options().get("fake.api-key")))
          .isEqualTo("sk-top-secret");
    }
  }

  @Test
  @DisplayName("leaves no Batchwise thread running after close()")
  void noThreadLeak() throws Exception {
    try (Batchwise bw = Batchwise.builder().provider(FakeEmbeddingProvider.small()).build()) {
      bw.embedder().embedAll(List.of("a", "b"));
    }
    // close() shuts the pools down; wait for their threads to end rather than polling
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("batchwise-")) {
        t.join(10_000);
      }
    }
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("batchwise-")))
        .isEmpty();
  }
}
