package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.batchwise.Batchwise;
import io.batchwise.config.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * An API key with a character no HTTP header allows fails when the provider is created, with a
 * {@link ConfigurationException} that names the option and the character, for the {@code
 * Authorization} header and for Azure's {@code api-key} (whose value OkHttp would print), and
 * neither the key nor any part of it reaches a message, a cause or a log line.
 */
class ApiKeyCheckTest {
  private static final String HEAD = "sk-Qw8Zt3LmXc";
  private static final String TAIL = "Vx9Kp2Rn7Hs4Jd6F";

  /** Any run of this many characters of the key found in a text is a leak. */
  private static final int LEAK = 5;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<Logger> loggers = new ArrayList<>();
  private final List<Level> levels = new ArrayList<>();

  @BeforeEach
  void captureLogs() {
    logs.start();
    for (String name : new String[] {Logger.ROOT_LOGGER_NAME, "io.batchwise", "okhttp3"}) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      loggers.add(logger);
      levels.add(logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
    loggers.get(0).addAppender(logs);
  }

  @AfterEach
  void restore() {
    loggers.get(0).detachAppender(logs);
    for (int i = 0; i < loggers.size(); i++) {
      loggers.get(i).setLevel(levels.get(i));
    }
  }

  static Stream<Arguments> badKeys() {
    String[][] chars = {
      {"\u00a0", "U+00A0 NO-BREAK SPACE"},
      {"\u200b", "U+200B ZERO WIDTH SPACE"},
      {"\n", "U+000A LINE FEED (LF)"},
      {"\r\n", "U+000D CARRIAGE RETURN (CR)"},
      {"\t", "U+0009 CHARACTER TABULATION"},
      {"\u0000", "U+0000 NULL"},
      {"\u007f", "U+007F DELETE"},
      {" ", "U+0020 SPACE"},
      {"\ud83d\udd11", "U+1F511 KEY"},
    };
    List<Arguments> all = new ArrayList<>();
    for (String flavour : new String[] {"openai", "azure"}) {
      for (String[] c : chars) {
        all.add(Arguments.of(flavour, c[0], c[1]));
      }
    }
    return all.stream();
  }

  private static Map<String, String> options(String flavour, String key) {
    return flavour.equals("azure")
        ? TestProviders.options(
            "https://example-resource.openai.azure.com",
            "openai.api-key",
            key,
            "openai.azure-deployment",
            "embeddings")
        : TestProviders.options("https://api.openai.com/v1", "openai.api-key", key);
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("badKeys")
  @DisplayName(
      "a key with a character headers do not allow fails at creation, naming the character, never the key")
  void refusesTheKeyWithoutEchoingIt(String flavour, String bad, String named) {
    String key = HEAD + bad + TAIL;

    Throwable direct = catchThrowable(() -> TestProviders.create(options(flavour, key)).close());
    Batchwise.Builder b =
        Batchwise.builder().provider("openai").sources(new Properties(), Map.of());
    options(flavour, key).forEach(b::option);
    Throwable built =
        catchThrowable(
            () -> {
              try (Batchwise bw = b.build()) {
                bw.provider();
              }
            });

    for (Throwable t : List.of(direct, built)) {
      assertThat(t)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(
              "option 'openai.api-key' has " + named + " at character " + (HEAD.length() + 1))
          .hasMessageContaining("HTTP header")
          .hasNoCause();
    }
    List<String> texts = new ArrayList<>();
    texts(direct, texts);
    texts(built, texts);
    for (ILoggingEvent event : logs.list) {
      texts.add(event.getFormattedMessage());
      for (IThrowableProxy p = event.getThrowableProxy(); p != null; p = p.getCause()) {
        texts.add(p.getClassName() + ": " + p.getMessage());
      }
    }
    assertNoPartOfTheKey(texts);
  }

  @Test
  @DisplayName("organization and project ids are checked the same way")
  void checksTheOtherHeaders() {
    for (String option : new String[] {"openai.organization", "openai.project"}) {
      Throwable t =
          catchThrowable(
              () ->
                  TestProviders.create(
                          TestProviders.options(
                              "https://api.openai.com/v1", option, "org-abc\u200bdef"))
                      .close());
      assertThat(t)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(
              "option '" + option + "' has U+200B ZERO WIDTH SPACE at character 8");
    }
  }

  @Test
  @DisplayName(
      "a key of visible ASCII is accepted; surrounding whitespace is stripped by the configuration")
  void acceptsAGoodKey() {
    TestProviders.create(options("openai", HEAD + TAIL)).close();
    TestProviders.create(options("azure", " " + HEAD + TAIL + "\n")).close();
  }

  private static void texts(Throwable t, List<String> into) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      into.add(String.valueOf(c.getMessage()));
      into.add(c.toString());
      for (Throwable s : c.getSuppressed()) {
        texts(s, into);
      }
    }
  }

  private static void assertNoPartOfTheKey(List<String> texts) {
    String visible = HEAD + TAIL;
    for (String text : texts) {
      for (String part : new String[] {HEAD, TAIL}) {
        for (int i = 0; i + LEAK <= part.length(); i++) {
          assertThat(text).as("a part of the key").doesNotContain(part.substring(i, i + LEAK));
        }
      }
      assertThat(text).doesNotContain(visible);
    }
  }
}
