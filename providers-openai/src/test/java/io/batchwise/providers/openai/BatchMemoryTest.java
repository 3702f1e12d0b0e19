package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Batch API job's output is streamed to disk and read line by line: in a forked JVM with a 256 MB
 * heap ({@link BatchMemoryMain}), a job whose output files add up to more than the heap gets every
 * vector exact.
 */
class BatchMemoryTest {
  private static final long HEAP = 256L * 1024 * 1024;

  @StartStop final MockWebServer server = new MockWebServer();

  @TempDir Path dir;

  @Test
  @DisplayName("an output larger than the heap is embedded exactly at -Xmx256m")
  void outputLargerThanTheHeap() throws Exception {
    FakeBatchServer fake =
        new FakeBatchServer(TestProviders.KEY).dimensions(BatchMemoryMain.DIMENSIONS);
    server.setDispatcher(fake);
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    BatchMemoryMain.class.getName(),
                    server.url("/v1").toString(),
                    dir.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("inputs=" + BatchMemoryMain.INPUTS + " mismatches=0 failures=0");
    assertThat(fake.bytesServed())
        .as("the output is larger than the child's heap")
        .isGreaterThan(HEAP);
  }
}
