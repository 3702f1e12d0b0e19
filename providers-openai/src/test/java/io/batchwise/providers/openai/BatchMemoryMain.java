package io.batchwise.providers.openai;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The child process of {@link BatchMemoryTest}, run with a 256 MB heap: a Batch API job of {@link
 * #INPUTS} inputs of {@link #DIMENSIONS} dimensions answered as float arrays, an output larger than
 * the heap; prints how many vectors differ from the server's.
 */
public final class BatchMemoryMain {
  static final int INPUTS = 7_000;
  static final int DIMENSIONS = 2_048;

  private BatchMemoryMain() {}

  /**
   * Runs the job.
   *
   * @param args the server's base URL, the state directory
   * @throws Exception when the job fails
   */
  public static void main(String[] args) throws Exception {
    List<String> texts = TestProviders.texts(INPUTS, "memory");
    try (Batchwise bw =
            Batchwise.builder()
                .provider("openai")
                .sources(new Properties(), Map.of())
                .option("openai.base-url", args[0])
                .option("openai.api-key", TestProviders.KEY)
                .option("openai.model", "text-embedding-3-large")
                .option("openai.dimensions", String.valueOf(DIMENSIONS))
                .option("openai.encoding-format", "float")
                .option("openai.max-inputs-per-request", "100")
                .option("openai.batch.state-dir", args[1])
                .option("openai.batch.poll-interval", "1ms")
                .option("openai.batch.max-poll-interval", "5ms")
                .option("openai.batch.max-inputs-per-batch", "1000")
                .build();
        OpenAiBatch batch = OpenAiBatch.of(bw)) {
      EmbedResult result = batch.embedAll(texts);
      int mismatches = 0;
      for (int i = 0; i < texts.size(); i++) {
        float[] v = result.embeddings().get(i).vector();
        if (v == null || !Arrays.equals(v, FakeOpenAiServer.vectorFor(texts.get(i), DIMENSIONS))) {
          mismatches++;
        }
      }
      System.out.println(
          "inputs="
              + texts.size()
              + " mismatches="
              + mismatches
              + " failures="
              + result.failures().size()
              + " maxHeap="
              + Runtime.getRuntime().maxMemory());
    }
  }
}
