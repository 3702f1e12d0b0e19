package io.batchwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** embedStream keeps memory bounded: a million texts through a 256 MB heap, in a forked JVM. */
class StreamMemoryTest {

  @Test
  @DisplayName("streams 1,000,000 texts in order through embedStream at -Xmx256m")
  void millionTextsInSmallHeap() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    StreamMemoryMain.class.getName(),
                    "1000000"))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("streamed=1000000").doesNotContain("OutOfMemoryError");
  }
}
