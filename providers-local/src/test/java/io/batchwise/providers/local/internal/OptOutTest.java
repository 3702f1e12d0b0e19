package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing phones home, checked in a fresh JVM whose environment has none of the opt-outs set (the
 * surefire configuration sets them for every other test) and whose home and caches are empty temp
 * directories: the provider must set them itself before DJL and ONNX Runtime start.
 */
class OptOutTest {

  @Test
  @DisplayName(
      "DJL tracking and ONNX Runtime telemetry are off, and DJL's native library still extracts offline")
  void theProviderOptsOutBeforeTheNativeLibrariesStart(@TempDir Path home) throws Exception {
    Path djlCache = home.resolve("djl-cache");
    Path xdgCache = home.resolve("xdg-cache");
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xshare:off",
                "--enable-native-access=ALL-UNNAMED",
                "-Duser.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                OptOutProbe.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.remove("OPT_OUT_TRACKING");
    env.remove("ORT_DISABLE_TELEMETRY");
    env.remove("DJL_OFFLINE");
    env.remove("CI"); // ONNX Runtime also stays quiet under CI; the provider must not rely on it
    env.remove("GITHUB_ACTIONS");
    env.remove("TF_BUILD");
    env.put("HOME", home.toString());
    env.put("XDG_CACHE_HOME", xdgCache.toString());
    env.put("DJL_CACHE_DIR", djlCache.toString());

    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();

    assertThat(out).contains("env.OPT_OUT_TRACKING=null", "env.ORT_DISABLE_TELEMETRY=null");
    assertThat(out).contains("count=5", "dims=384");
    assertThat(out).contains("property.OPT_OUT_TRACKING=true");
    assertThat(out).contains("native.ORT_DISABLE_TELEMETRY=1");
    assertThat(out).contains("djl.lastCheckIn=0"); // DJL's call home never ran
    assertThat(out).contains("attempted=[]");
    // ONNX Runtime's telemetry writes a device id under the cache home when it runs
    assertThat(xdgCache.resolve("Microsoft")).doesNotExist();
    assertThat(home.resolve(".cache").resolve("Microsoft")).doesNotExist();
    // ONNX Runtime loaded its libraries from the per-user cache (its loader fails when the path
    // lacks them),
    // and the optimized graph was saved beside them
    Path nativeDir = xdgCache.resolve("batchwise").resolve("native");
    assertThat(out)
        .containsPattern(
            "ort\\.native\\.path=" + Pattern.quote(nativeDir.toString()) + "/[0-9a-f]{32}");
    try (Stream<Path> files = Files.walk(nativeDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains("libonnxruntime.so", "libonnxruntime4j_jni.so");
    }
    try (Stream<Path> files = Files.list(xdgCache.resolve("batchwise").resolve("onnx"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("all-minilm-l6-v2-q-") && n.endsWith(".onnx"));
    }
    // DJL extracted its tokenizer library from the jar into the fresh cache, with no download
    try (Stream<Path> files = Files.walk(djlCache)) {
      assertThat(files.map(p -> p.getFileName().toString())).contains("libtokenizers.so");
    }
  }
}
