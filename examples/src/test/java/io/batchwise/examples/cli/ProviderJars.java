package io.batchwise.examples.cli;

import io.batchwise.spi.EmbeddingProviderFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A third-party provider jar built at test time, so that it is on no class path the build knows:
 * {@code tiny}, whose vector for a text of n chars is (cos n, sin n). Compiled with the JDK's
 * compiler against core's classes, with its factory registered in {@code META-INF/services}.
 */
final class ProviderJars {
  /** The provider's id. */
  static final String ID = "tiny";

  private static final String SOURCE =
      """
      package com.example.tiny;

      import io.batchwise.spi.BatchStrategy;
      import io.batchwise.spi.CallContext;
      import io.batchwise.spi.EmbeddingProvider;
      import io.batchwise.spi.EmbeddingProviderFactory;
      import io.batchwise.spi.FactoryContext;
      import io.batchwise.spi.ModelInfo;
      import io.batchwise.spi.Tokenizer;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.concurrent.CompletableFuture;

      public final class TinyProviderFactory implements EmbeddingProviderFactory {
        public TinyProviderFactory() {}
        @Override public String id() { return "tiny"; }
        @Override public EmbeddingProvider create(FactoryContext context) { return new TinyProvider(); }
      }

      final class TinyProvider implements EmbeddingProvider, Tokenizer {
        @Override public String id() { return "tiny"; }
        @Override public ModelInfo modelInfo() { return new ModelInfo("tiny-v1", 2, true, 64, 1000, 64000, ModelInfo.NO_LIMIT); }
        @Override public Tokenizer tokenizer() { return this; }
        @Override public BatchStrategy batchStrategy() { return BatchStrategy.SINGLE_CALL; }
        @Override public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
          List<float[]> vectors = new ArrayList<>();
          for (String t : texts) {
            vectors.add(new float[] {(float) Math.cos(t.length()), (float) Math.sin(t.length())});
          }
          return CompletableFuture.completedFuture(vectors);
        }
        @Override public String name() { return "tiny-chars"; }
        @Override public int count(String text) { return text.length(); }
        @Override public String truncate(String text, int maxTokens) { return text.substring(0, Math.min(text.length(), maxTokens)); }
      }
      """;

  private ProviderJars() {}

  /** The vector {@code tiny} gives a text. */
  static float[] expected(String text) {
    return new float[] {(float) Math.cos(text.length()), (float) Math.sin(text.length())};
  }

  /**
   * Compiles the provider and jars it.
   *
   * @param dir a scratch directory; the jar is {@code dir/tiny-provider.jar}
   * @return the jar
   */
  static Path tinyProvider(Path dir) throws IOException {
    Path src = dir.resolve("src/com/example/tiny/TinyProviderFactory.java");
    Path classes = dir.resolve("classes");
    Files.createDirectories(src.getParent());
    Files.createDirectories(classes);
    Files.writeString(src, SOURCE);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean ok =
        javac
            .getTask(
                diagnostics,
                null,
                null,
                List.of(
                    "--release",
                    "17",
                    "-classpath",
                    coreClasses().toString(),
                    "-d",
                    classes.toString()),
                null,
                javac
                    .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                    .getJavaFileObjects(src))
            .call();
    if (!ok) {
      throw new IllegalStateException("the test provider does not compile:\n" + diagnostics);
    }
    Path jar = dir.resolve("tiny-provider.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        put(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
      }
      put(
          out,
          "META-INF/services/" + EmbeddingProviderFactory.class.getName(),
          "com.example.tiny.TinyProviderFactory\n".getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }

  private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(bytes);
    out.closeEntry();
  }

  /** Where core's classes are: its jar, or its classes directory in the reactor. */
  private static Path coreClasses() {
    try {
      return Path.of(
          EmbeddingProviderFactory.class
              .getProtectionDomain()
              .getCodeSource()
              .getLocation()
              .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("core's code source is not a file: " + e.getMessage(), e);
    }
  }
}
