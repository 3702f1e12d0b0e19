package io.batchwise.cache.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Captures what one logger (and its children) logs, for assertions. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level previous;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String name, Level level) {
    logger = (Logger) LoggerFactory.getLogger(name);
    previous = logger.getLevel();
    logger.setLevel(level);
    appender.start();
    logger.addAppender(appender);
  }

  /**
   * Captures a logger at INFO and above.
   *
   * @param type the class whose logger to capture
   * @return the capture
   */
  public static LogCapture of(Class<?> type) {
    return new LogCapture(type.getName(), Level.INFO);
  }

  /**
   * Captures a logger by name at INFO and above.
   *
   * @param name the logger's name
   * @return the capture
   */
  public static LogCapture named(String name) {
    return new LogCapture(name, Level.INFO);
  }

  /**
   * Captures the root logger at the given level.
   *
   * @param level the level
   * @return the capture
   */
  public static LogCapture root(Level level) {
    return new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME, level);
  }

  /**
   * @return the events, in order
   */
  public synchronized List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  /**
   * @return the formatted messages at {@code level}
   */
  public List<String> messages(Level level) {
    return events().stream()
        .filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .collect(Collectors.toList());
  }

  /**
   * @return every message, with its throwable chain rendered, as one string
   */
  public String everything() {
    StringBuilder b = new StringBuilder();
    for (ILoggingEvent e : events()) {
      b.append(e.getFormattedMessage()).append('\n');
      for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        b.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previous);
  }
}
