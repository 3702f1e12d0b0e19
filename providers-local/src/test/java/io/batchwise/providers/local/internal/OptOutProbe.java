package io.batchwise.providers.local.internal;

import io.batchwise.spi.CallContext;
import io.batchwise.spi.InputType;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Run by {@link OptOutTest} in a fresh JVM whose environment lacks every opt-out: loads a tokenizer
 * and a provider, embeds, and prints what the opt-outs look like from inside, one {@code key=value}
 * a line.
 */
public final class OptOutProbe {
  private OptOutProbe() {}

  /**
   * Entry point.
   *
   * @param args ignored
   * @throws Exception when anything fails (the test then sees a non-zero exit)
   */
  public static void main(String[] args) throws Exception {
    List<URI> attempted = new CopyOnWriteArrayList<>();
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            attempted.add(uri);
            throw new IllegalStateException("network access attempted: " + uri);
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
    System.out.println("env.OPT_OUT_TRACKING=" + System.getenv("OPT_OUT_TRACKING"));
    System.out.println("env.ORT_DISABLE_TELEMETRY=" + System.getenv("ORT_DISABLE_TELEMETRY"));
    int count = LocalProviders.tokenizer("all-minilm-l6-v2-q").count("Hello, world");
    try (LocalEmbeddingProvider provider =
        LocalTestSupport.create(Map.of("local.model", "all-minilm-l6-v2-q"))) {
      float[] v =
          provider.embed(List.of("offline only"), CallContext.of(InputType.DOCUMENT)).join().get(0);
      System.out.println("dims=" + v.length);
    }
    long lastCheckIn =
        readStatic(Class.forName("ai.djl.util.Ec2Utils").getDeclaredField("lastCheckIn"));
    System.out.println("count=" + count);
    System.out.println("property.OPT_OUT_TRACKING=" + System.getProperty("OPT_OUT_TRACKING"));
    System.out.println("native.ORT_DISABLE_TELEMETRY=" + NativeOptOuts.ortOptOutSeenByNativeCode());
    System.out.println("djl.lastCheckIn=" + lastCheckIn);
    System.out.println("attempted=" + attempted);
    System.out.println("ort.native.path=" + System.getProperty(OrtNativeLibrary.PATH_PROPERTY));
  }

  private static long readStatic(java.lang.reflect.Field f) throws IllegalAccessException {
    f.setAccessible(true);
    return f.getLong(null);
  }
}
