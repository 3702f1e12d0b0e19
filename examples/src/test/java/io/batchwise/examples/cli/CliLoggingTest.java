package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The command line's logging, configured in code. */
class CliLoggingTest {
  @Test
  @DisplayName(
      "warnings and errors go to stderr as LEVEL logger - message; DJL's GPU probe errors only")
  void configuresWarningsToStderr() {
    LoggerContext context = new LoggerContext();
    assertThat(CliLogging.configure(context, false))
        .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.batchwise.Batchwise").isInfoEnabled()).isFalse();
    assertThat(context.getLogger("io.batchwise.Batchwise").isWarnEnabled()).isTrue();
    assertThat(context.getLogger("ai.djl.util.cuda").isWarnEnabled()).isFalse();
    assertThat(context.getLogger("ai.djl.util.cuda").isErrorEnabled()).isTrue();

    Appender<ILoggingEvent> appender = root.getAppender("STDERR");
    assertThat(appender).isInstanceOf(ConsoleAppender.class);
    ConsoleAppender<?> stderr = (ConsoleAppender<?>) appender;
    assertThat(stderr.isStarted()).isTrue();
    assertThat(stderr.getTarget()).isEqualTo("System.err");
    PatternLayoutEncoder encoder = (PatternLayoutEncoder) stderr.getEncoder();
    LoggingEvent event =
        new LoggingEvent(
            Logger.FQCN,
            context.getLogger("io.batchwise.examples.cli.EmbedCommand"),
            Level.WARN,
            "cache unavailable",
            null,
            null);
    assertThat(new String(encoder.encode(event), StandardCharsets.UTF_8))
        .isEqualTo("WARN i.b.e.c.EmbedCommand - cache unavailable" + System.lineSeparator());
  }

  @Test
  @DisplayName("-Dlogback.configurationFile leaves the context to Logback's own configurators")
  void userFileWins() {
    LoggerContext context = new LoggerContext();
    assertThat(CliLogging.configure(context, true)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
    context
        .getLogger(Logger.ROOT_LOGGER_NAME)
        .iteratorForAppenders()
        .forEachRemaining(appenders::add);
    assertThat(appenders).isEmpty();
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
  }

  @Test
  @DisplayName("Logback finds it through ServiceLoader")
  void registeredAsAService() {
    List<String> found = new ArrayList<>();
    ServiceLoader.load(Configurator.class).forEach(c -> found.add(c.getClass().getName()));
    assertThat(found).contains(CliLogging.class.getName());
  }
}
