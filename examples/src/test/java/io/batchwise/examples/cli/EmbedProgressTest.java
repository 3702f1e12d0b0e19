package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embed}'s progress bar moves as provider calls are answered, not when a whole window of
 * inputs is done: with three calls in one window and the server holding the second, the bar shows the
 * first call's inputs. Nothing here sleeps: the server holds the second call until the bar has moved.
 */
class EmbedProgressTest {
  private static final int DIMENSIONS = 6;
  private static final int PER_CALL = 16;
  private static final int INPUTS = 3 * PER_CALL;
  /** Bounds a broken run; a passing one waits for one redraw of the bar (a second). */
  private static final long BOUND_SECONDS = 60;

  @TempDir Path dir;
  private FakeOpenAi openai;

  @BeforeEach
  void start() throws IOException {
    openai = new FakeOpenAi(DIMENSIONS);
  }

  @AfterEach
  void stop() throws IOException {
    openai.release.countDown();
    openai.close();
  }

  /** Stderr as the command writes it, watched for a progress count above zero. */
  private static final class ProgressWatch extends OutputStream {
    private static final Pattern DONE = Pattern.compile("\\b(\\d+)/" + INPUTS + "\\b");
    private final StringBuffer text = new StringBuffer();
    private final CountDownLatch moved = new CountDownLatch(1);
    private volatile int firstCount;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      text.append(new String(b, off, len, StandardCharsets.UTF_8));
      Matcher m = DONE.matcher(text);
      while (moved.getCount() > 0 && m.find()) {
        int count = Integer.parseInt(m.group(1));
        if (count > 0) {
          firstCount = count;
          moved.countDown();
        }
      }
    }
  }

  @Test
  @DisplayName("the bar counts the first call's inputs while the server still holds the second call")
  void progressMovesFromTheFirstCall() throws Exception {
    Path in = Files.write(dir.resolve("in.txt"), IntStream.range(0, INPUTS).mapToObj(i -> "distinct text " + i).toList());
    Path out = dir.resolve("out.jsonl");
    openai.holdFrom = 2;
    ProgressWatch err = new ProgressWatch();
    String[] args = {"embed", "--in", in.toString(), "--out", out.toString(), "--provider", "openai",
        "--base-url", openai.baseUrl(), "--model", "my-embedder", "--dimensions", Integer.toString(DIMENSIONS),
        "-o", "openai.api-key=sk-test", "-o", "openai.max-inputs-per-request=" + PER_CALL, "--concurrency", "1"};
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> BatchwiseCli.execute(args,
        new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), ConfigSources.system()));

    assertThat(err.moved.await(BOUND_SECONDS, TimeUnit.SECONDS))
        .as("the bar moved while the second call was held; stderr so far: %s", err.text).isTrue();
    assertThat(openai.requests.get()).as("calls answered when the bar moved").isEqualTo(1);
    assertThat(err.firstCount).as("the first count shown is the first call's inputs").isEqualTo(PER_CALL);

    openai.release.countDown();
    assertThat(run.get(BOUND_SECONDS, TimeUnit.SECONDS)).as("exit code; stderr: %s", err.text).isZero();
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records).hasSize(INPUTS);
    assertThat(openai.requests.get()).isEqualTo(3);
    assertThat(err.text.toString()).contains(INPUTS + "/" + INPUTS);
  }
}
