package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.examples.classify.LoopbackChatServer;
import io.batchwise.examples.demo.SampleCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batchwise example NAME}: every example app runs by name (with the fast hashing provider).
 */
class ExampleCommandTest {
  @TempDir Path dir;

  @Test
  @DisplayName("quickstart embeds, compares and prints the usage")
  void quickstart() {
    CliRunner.Result r = run("example", "quickstart", "hashing");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("4 vectors of 384 dimensions from hashing/hashing-v1")
        .contains("cosine(")
        .contains("uniqueInputs=3");
  }

  @Test
  @DisplayName("semantic-search indexes a folder and answers from the right file")
  void semanticSearch() throws IOException {
    Files.writeString(
        dir.resolve("volcanoes.txt"), "Lava erupts from volcanoes when magma reaches the surface.");
    Files.writeString(
        dir.resolve("baking.md"), "Bread dough rises because yeast makes carbon dioxide.");
    Files.write(dir.resolve("blob.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    CliRunner.Result r =
        run(
            "example",
            "semantic-search",
            "--provider",
            "hashing",
            "--folder",
            dir.toString(),
            "why does dough rise");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().lines().toList().get(1)).contains("baking.md#1");
    assertThat(r.err()).contains("indexed 2 chunks").contains("skipping").contains("blob.bin");
  }

  @Test
  @DisplayName("agent-batch routes every document through concurrent agents and reports")
  void agentBatch() {
    CliRunner.Result r = run("example", "agent-batch", "--provider", "hashing");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("routed 270 documents")
        .contains("0 failed")
        .contains("routing accuracy");
    assertThat(r.err())
        .contains("agents")
        .contains("270/270")
        .contains("Batchwise job report (job: topic-router)")
        .contains("items      270  (succeeded 270");
  }

  @Test
  @DisplayName(
      "custom-provider: the third-party provider by id, the second run answered by the cache, with the metrics report")
  void customProvider() {
    CliRunner.Result r = run("example", "custom-provider");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("provider hashing, model hashing-v1, 384 dimensions")
        .contains("first run:  Usage[inputs=300, uniqueInputs=270, cacheHits=0")
        .contains("second run: Usage[inputs=300, uniqueInputs=270, cacheHits=270, providerCalls=0");
    assertThat(r.err()).contains("Batchwise job report (job: embed)").contains("hit rate 50.0%");
  }

  @Test
  @DisplayName(
      "classify labels the corpus through a loopback chat server; the second run is answered by the cache")
  void classify() {
    CliRunner.Result r = run("example", "classify");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("Topic of each paragraph, by loopback-classifier at http://127.0.0.1:")
        .contains("astronomy/1")
        .contains("{\"topic\":\"")
        .contains("second run: 270 of 270 answered by the cache, 0 requests, same answers: true");
    // the loopback model is a keyword matcher: the count is what it gives the corpus, paragraph by
    // paragraph
    long own =
        SampleCorpus.paragraphs().stream()
            .filter(
                p -> LoopbackChatServer.label(SampleCorpus.topics(), p.text()).equals(p.topic()))
            .count();
    assertThat(own).isGreaterThan(200);
    assertThat(r.out()).contains(own + " of 270 paragraphs labelled with their own topic");
    assertThat(r.err())
        .contains(
            "first run: 270 items, 270 unique, 0 cache hits, 18 requests, 0 retries, 0 failed")
        .contains("second run: 270 items, 270 unique, 270 cache hits, 0 requests");
  }

  @Test
  @DisplayName("an unknown example is a usage error listing the examples")
  void unknown() {
    CliRunner.Result r = run("example", "nope");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("no example named 'nope'")
        .contains("quickstart, semantic-search, agent-batch, custom-provider");
  }
}
