package io.batchwise.providers.openai;

import io.batchwise.Batchwise;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.CoreOptions;
import io.batchwise.providers.openai.internal.OpenAiOptions;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ForkJoinPool;

/** Builds {@code openai} providers for tests, isolated from the machine's environment. */
final class TestProviders {
  /** A key-shaped secret that tests look for in logs, messages and strings. */
  static final String KEY = "sk-test-SECRETKEY0123456789abcdef";

  private TestProviders() {}

  /**
   * Every {@code openai.*} option, plus core's options (as {@code Batchwise.builder()} declares
   * them) when asked.
   *
   * @param withCore whether to declare core's options ({@code model}, {@code call-timeout}, ...)
   * @return options by key
   */
  static Map<String, ConfigOption<?>> known(boolean withCore) {
    Map<String, ConfigOption<?>> known = new HashMap<>();
    for (ConfigOption<?> o : OpenAiOptions.ALL) {
      known.put(o.key(), o);
    }
    if (withCore) {
      for (ConfigOption<?> o : CoreOptions.all()) {
        known.put(o.key(), o);
      }
    }
    return known;
  }

  /**
   * A configuration of {@code explicit} values only: no system properties, no environment.
   *
   * @param explicit option values
   * @return the config
   */
  static Config config(Map<String, String> explicit) {
    return Config.of(explicit, known(true), k -> null, k -> null);
  }

  /**
   * A factory context over {@code explicit} options.
   *
   * @param explicit option values
   * @param registry the meter registry
   * @return the context
   */
  static FactoryContext context(Map<String, String> explicit, MeterRegistry registry) {
    return FactoryContext.of(
        config(explicit), registry, TokenizerRegistry.standalone(), ForkJoinPool.commonPool());
  }

  /**
   * Options pointing at {@code baseUrl} with the test key and a small known model.
   *
   * @param baseUrl the server's {@code /v1} URL
   * @param more further options (key, value, ...)
   * @return the options
   */
  static Map<String, String> options(String baseUrl, String... more) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("openai.base-url", baseUrl);
    o.put("openai.api-key", KEY);
    o.put("openai.model", "text-embedding-3-small");
    o.put("openai.dimensions", "8");
    for (int i = 0; i < more.length; i += 2) {
      o.put(more[i], more[i + 1]);
    }
    return o;
  }

  /**
   * A provider for {@code options}.
   *
   * @param options option values
   * @return the provider
   */
  static RemoteEmbeddingProvider create(Map<String, String> options) {
    return create(options, new SimpleMeterRegistry());
  }

  /**
   * A provider for {@code options} recording to {@code registry}.
   *
   * @param options option values
   * @param registry the meter registry
   * @return the provider
   */
  static RemoteEmbeddingProvider create(Map<String, String> options, MeterRegistry registry) {
    return (RemoteEmbeddingProvider) new OpenAiProviderFactory().create(context(options, registry));
  }

  /**
   * A {@code Batchwise} with the {@code openai} provider against {@code baseUrl} (the test key, 8
   * dimensions), isolated from the machine's system properties and environment.
   *
   * @param baseUrl the server's {@code /v1} URL
   * @param options further options (key, value, ...)
   * @return the instance; the caller closes it
   */
  static Batchwise batchwise(String baseUrl, String... options) {
    Batchwise.Builder b =
        Batchwise.builder()
            .provider("openai")
            .option("openai.base-url", baseUrl)
            .option("openai.api-key", KEY)
            .option("openai.dimensions", "8")
            .sources(new Properties(), Map.of());
    for (int i = 0; i < options.length; i += 2) {
      b.option(options[i], options[i + 1]);
    }
    return b.build();
  }

  /**
   * Distinct texts {@code "prefix 0"}, {@code "prefix 1"}, ...
   *
   * @param n how many
   * @param prefix what each starts with
   * @return the texts
   */
  static List<String> texts(int n, String prefix) {
    List<String> t = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      t.add(prefix + " " + i);
    }
    return t;
  }
}
