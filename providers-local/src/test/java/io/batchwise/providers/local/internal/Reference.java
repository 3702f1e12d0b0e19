package io.batchwise.providers.local.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LangChain4j's in-process ONNX embedding model as an independent reference (its own tokenizer
 * set-up, session code, pooling and normalization), fed the same model files.
 *
 * <p>The {@code tokenizer.json} files in the model jars cap inputs at 128 tokens and pad to 128,
 * which LangChain4j keeps; the copy given to the reference has both switched off, so that it embeds
 * every fixture whole, as sentence-transformers does below the model's 256-token limit.
 */
final class Reference {
  private static final Map<String, EmbeddingModel> MODELS = new ConcurrentHashMap<>();

  private Reference() {}

  /** The reference for a named model ({@code all-minilm-l6-v2}, ...), loaded once. */
  static EmbeddingModel of(String model, PoolingMode pooling) {
    return MODELS.computeIfAbsent(model + "/" + pooling, k -> load(model, pooling));
  }

  private static EmbeddingModel load(String model, PoolingMode pooling) {
    try {
      Path dir = Files.createTempDirectory("batchwise-reference-");
      Path onnx = dir.resolve("model.onnx");
      Path tokenizer = dir.resolve("tokenizer.json");
      try (InputStream in = resource(model + ".onnx")) {
        Files.copy(in, onnx, StandardCopyOption.REPLACE_EXISTING);
      }
      try (InputStream in = resource(model + "-tokenizer.json")) {
        JsonObject json =
            JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                .getAsJsonObject();
        json.add("truncation", null);
        json.add("padding", null);
        Files.writeString(tokenizer, json.toString());
      }
      onnx.toFile().deleteOnExit();
      tokenizer.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return new OnnxEmbeddingModel(onnx, tokenizer, pooling);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = Reference.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("test classpath lacks " + name);
    }
    return in;
  }
}
