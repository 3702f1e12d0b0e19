package io.batchwise.examples.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The command line's logging, set up in code: warnings and errors to standard error as {@code LEVEL
 * logger - message} (standard output carries results), and DJL's probe for a GPU, which warns when
 * there is none, only on errors. Logback finds it through {@code ServiceLoader} before it looks for
 * a configuration file. In code rather than in a {@code logback.xml}, because reading one starts
 * the JDK's XML parser and Logback's configuration model, which every command, however short, would
 * pay at start.
 *
 * <p>A configuration of the user's own, {@code -Dlogback.configurationFile=FILE} (through {@code
 * JAVA_OPTS} with {@code ./batchwise}), replaces this one: Logback then reads that file as usual.
 */
public final class CliLogging extends ContextAwareBase implements Configurator {
  /** Logback's system property naming a configuration file. */
  static final String CONFIGURATION_FILE = "logback.configurationFile";

  /** The layout of each line. */
  static final String PATTERN = "%level %logger{20} - %msg%n";

  /** Logback creates it through {@code ServiceLoader}. */
  public CliLogging() {}

  /**
   * Configures {@code context}, unless the user named a configuration file.
   *
   * @param context Logback's context
   * @return {@code DO_NOT_INVOKE_NEXT_IF_ANY} once configured; {@code INVOKE_NEXT_IF_ANY} to leave
   *     it to Logback's own configurators, which read the user's file
   */
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    return configure(context, System.getProperty(CONFIGURATION_FILE) != null);
  }

  static ExecutionStatus configure(LoggerContext context, boolean userFile) {
    if (userFile) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    context.getLogger("ai.djl.util.cuda").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
