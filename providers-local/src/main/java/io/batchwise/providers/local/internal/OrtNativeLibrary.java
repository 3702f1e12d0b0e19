package io.batchwise.providers.local.internal;

import ai.onnxruntime.OrtEnvironment;
import io.batchwise.io.NativeLibraryCache;
import java.util.List;

/**
 * Keeps ONNX Runtime's native libraries in the per-user {@link NativeLibraryCache} instead of
 * letting its loader inflate the 28 MB {@code libonnxruntime.so} from its jar into a new temporary
 * directory in every process: its own property {@code onnxruntime.native.path} is pointed at the
 * kept copies before the binding first loads. A user's own {@code onnxruntime.native.path} is left
 * alone; on platforms other than Linux, or when the copies cannot be kept, the binding extracts
 * them as it always did.
 */
final class OrtNativeLibrary {
  static final String PATH_PROPERTY = "onnxruntime.native.path";
  private static boolean done;

  private OrtNativeLibrary() {}

  /**
   * Sets the property to the kept copies, once per JVM; call before any ONNX Runtime class
   * initializes.
   */
  static synchronized void keep() {
    if (!done && System.getProperty(PATH_PROPERTY) == null) {
      // the binding names its folders linux-x64 and linux-aarch64; the class literal below loads
      // its class without initializing it, so its loader has not run yet
      NativeLibraryCache.linuxArchitecture()
          .map(
              arch -> "ai/onnxruntime/native/linux-" + (arch.equals("x86_64") ? "x64" : arch) + "/")
          .flatMap(
              folder ->
                  NativeLibraryCache.extract(
                      NativeLibraryCache.defaultDir(),
                      OrtEnvironment.class.getClassLoader(),
                      List.of(folder + "libonnxruntime.so", folder + "libonnxruntime4j_jni.so")))
          .ifPresent(dir -> System.setProperty(PATH_PROPERTY, dir.toString()));
    }
    done = true;
  }
}
