package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory model's revision: a hash of its files, each hashed once per (path, size, modification
 * time).
 */
class DirectoryModelTest {

  @Test
  @DisplayName(
      "the revision hashes each file once per path, size and modification time, and follows content")
  void theRevisionIsComputedOncePerFileStamp(@TempDir Path dir) throws IOException {
    byte[] graph = new byte[4096];
    new Random(7).nextBytes(graph); // read() hashes the bytes; it does not load them as a graph
    Path model = Files.write(dir.resolve("model.onnx"), graph);
    Path tokenizer =
        Files.writeString(dir.resolve("tokenizer.json"), "{\"a\":1}", StandardCharsets.UTF_8);
    FileTime start = Files.getLastModifiedTime(model);

    long scans = DirectoryModel.FILES_SCANNED.get();
    ModelSpec first = DirectoryModel.read(dir);
    assertThat(DirectoryModel.FILES_SCANNED.get() - scans).as("both files hashed").isEqualTo(2);
    assertThat(first.revision()).matches("[0-9a-f]{64}");

    scans = DirectoryModel.FILES_SCANNED.get();
    ModelSpec again = DirectoryModel.read(dir);
    assertThat(DirectoryModel.FILES_SCANNED.get() - scans).as("nothing hashed again").isZero();
    assertThat(again.revision()).isEqualTo(first.revision());

    // same size, other content, later modification time: that file alone is hashed again
    Files.writeString(tokenizer, "{\"a\":2}", StandardCharsets.UTF_8);
    Files.setLastModifiedTime(tokenizer, FileTime.fromMillis(start.toMillis() + 10_000));
    scans = DirectoryModel.FILES_SCANNED.get();
    ModelSpec changed = DirectoryModel.read(dir);
    assertThat(DirectoryModel.FILES_SCANNED.get() - scans).isEqualTo(1);
    assertThat(changed.revision()).isNotEqualTo(first.revision());
    assertThat(changed.id())
        .as("the id names the graph, which did not change")
        .isEqualTo(first.id());

    // a new modification time with the same bytes: hashed again, same revision
    Files.setLastModifiedTime(model, FileTime.fromMillis(start.toMillis() + 20_000));
    scans = DirectoryModel.FILES_SCANNED.get();
    ModelSpec touched = DirectoryModel.read(dir);
    assertThat(DirectoryModel.FILES_SCANNED.get() - scans).isEqualTo(1);
    assertThat(touched.revision()).isEqualTo(changed.revision());

    // a settings file beside the model is part of the revision too
    Files.writeString(
        dir.resolve("sentence_bert_config.json"),
        "{\"max_seq_length\":128}",
        StandardCharsets.UTF_8);
    assertThat(DirectoryModel.read(dir).revision()).isNotEqualTo(touched.revision());
  }
}
