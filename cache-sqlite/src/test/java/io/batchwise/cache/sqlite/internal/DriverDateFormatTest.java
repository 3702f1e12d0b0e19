package io.batchwise.cache.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.date.FastDateFormat;

/** The driver's date format, made beside the opening of a store. */
class DriverDateFormatTest {
  @Test
  @DisplayName(
      "prepare() makes the driver's date format on another thread, once; await() waits for it")
  void madeOnceOnAnotherThread() {
    DriverDateFormat.prepare();
    DriverDateFormat.prepare();
    DriverDateFormat.await();
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("batchwise-sqlite-date-format"))
                .filter(Thread::isAlive))
        .as("await() returns once the format is made")
        .isEmpty();
    FastDateFormat format = FastDateFormat.getInstance(SQLiteConfig.DEFAULT_DATE_STRING_FORMAT);
    assertThat(format.getPattern()).isEqualTo(SQLiteConfig.DEFAULT_DATE_STRING_FORMAT);
    assertThat(new SQLiteConfig().newConnectionConfig().getDateFormat())
        .as("the driver's connections take the one in its cache")
        .isSameAs(format);
  }
}
