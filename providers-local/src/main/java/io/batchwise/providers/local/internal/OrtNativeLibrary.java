package io.batchwise.providers.local.internal;

import ai.onnxruntime.OrtEnvironment;
import io.batchwise.internal.io.NativeLibraryCache;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps ONNX Runtime's native libraries in the per-user {@link NativeLibraryCache} instead of letting
 * its loader inflate the 28 MB {@code libonnxruntime.so} from its jar into a new temporary directory in
 * every process: its own property {@code onnxruntime.native.path} is pointed at the kept copies before
 * the binding first loads. A user's own {@code onnxruntime.native.path} is left alone; on platforms
 * other than Linux, or when the copies cannot be kept, the binding extracts them as it always did.
 */
final class OrtNativeLibrary {
  static final String PATH_PROPERTY = "onnxruntime.native.path";
  private static final Map<String, String> ARCHITECTURES = Map.of("amd64", "x64", "x86_64", "x64", "aarch64", "aarch64");
  private static boolean done;

  private OrtNativeLibrary() {}

  /** Sets the property to the kept copies, once per JVM; call before any ONNX Runtime class initializes. */
  static synchronized void keep() {
    if (done) {
      return;
    }
    done = true;
    String arch = ARCHITECTURES.get(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));
    if (System.getProperty(PATH_PROPERTY) != null || arch == null
        || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return;
    }
    String folder = "ai/onnxruntime/native/linux-" + arch + "/";
    // the class literal loads the binding's class without initializing it: its loader has not run yet
    NativeLibraryCache.extract(NativeLibraryCache.defaultDir(), OrtEnvironment.class.getClassLoader(),
            List.of(folder + "libonnxruntime.so", folder + "libonnxruntime4j_jni.so"))
        .ifPresent(dir -> System.setProperty(PATH_PROPERTY, dir.toString()));
  }
}
