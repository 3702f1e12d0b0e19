package io.batchwise.providers.local.internal;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.providers.local.LocalOptions;
import io.batchwise.providers.local.LocalProviderFactory;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.FactoryContext;
import io.batchwise.spi.InputType;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Providers, fixtures and vector math shared by the tests; the default provider is loaded once. */
final class LocalTestSupport {
  /** A CPU pool like the one Batchwise hands factories. */
  static final ExecutorService CPU =
      Executors.newFixedThreadPool(
          Runtime.getRuntime().availableProcessors(),
          r -> {
            Thread t = new Thread(r, "test-cpu");
            t.setDaemon(true);
            return t;
          });

  private static LocalEmbeddingProvider shared;

  private LocalTestSupport() {}

  /**
   * A context whose configuration holds only {@code options}: no system property or environment
   * leaks in.
   */
  static FactoryContext context(Map<String, String> options) {
    Map<String, ConfigOption<?>> known = new HashMap<>();
    for (ConfigOption<?> o : LocalOptions.all()) {
      known.put(o.key(), o);
    }
    Config config = Config.of(options, known, name -> null, name -> null);
    return FactoryContext.of(
        config, new SimpleMeterRegistry(), TokenizerRegistry.standalone(), CPU);
  }

  /** A new provider; the caller closes it. */
  static LocalEmbeddingProvider create(Map<String, String> options) {
    return (LocalEmbeddingProvider) new LocalProviderFactory().create(context(options));
  }

  /** The default model's provider, loaded once for all test classes and never closed. */
  static synchronized LocalEmbeddingProvider shared() {
    if (shared == null) {
      shared = create(Map.of());
    }
    return shared;
  }

  /** The hand-written fixtures in {@code fixtures/sentences.txt}. */
  static List<String> fixtures() {
    try (InputStream in = LocalTestSupport.class.getResourceAsStream("/fixtures/sentences.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  /** Embeds one text through the provider, as a document. */
  static float[] embedOne(LocalEmbeddingProvider provider, String text) {
    return embedOne(provider, text, InputType.DOCUMENT);
  }

  /** Embeds one text through the provider, as {@code type}. */
  static float[] embedOne(LocalEmbeddingProvider provider, String text, InputType type) {
    return provider.embed(List.of(text), CallContext.of(type)).join().get(0);
  }
}
