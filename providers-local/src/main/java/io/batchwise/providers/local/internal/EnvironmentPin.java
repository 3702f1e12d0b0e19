package io.batchwise.providers.local.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ONNX Runtime's native environment alive until the process ends. ONNX Runtime's Java binding
 * registers a JVM shutdown hook that releases the environment, and shutdown hooks run at the same
 * time as each other and as the application's threads: Ctrl-C while a thread creates a session (or
 * runs one) releases the environment under that call and crashes the JVM
 * (microsoft/onnxruntime#31352; SIGSEGV in {@code libonnxruntime.so}, exit code 134). The native
 * environment is reference-counted and shared by the process, so one more reference taken here
 * makes that hook's release a decrement: the environment lives on until the process ends, which
 * frees it. Together with the {@link NativeExitGuard}, which lets the exit go on only once no
 * native call runs, Ctrl-C at any moment ends the process cleanly.
 *
 * <p>The binding offers no public way to take the reference, so it calls the binding's own creation
 * method by reflection; should a later version rename it, this logs a warning and the process is as
 * safe as the binding alone makes it ({@code EnvironmentPinTest} fails first). Thread-safe.
 */
final class EnvironmentPin {
  private static final Logger LOG = LoggerFactory.getLogger(EnvironmentPin.class);
  private static boolean pinned;

  private EnvironmentPin() {}

  /**
   * Takes one more native reference to the environment, once per JVM.
   *
   * @param environment the binding's environment, already created
   * @return whether the environment is pinned (now or before)
   */
  static synchronized boolean pin(OrtEnvironment environment) {
    if (pinned) {
      return true;
    }
    try {
      Field api = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
      api.setAccessible(true);
      Method create =
          OrtEnvironment.class.getDeclaredMethod(
              "createHandle", long.class, int.class, String.class);
      create.setAccessible(true);
      Field handle = OrtEnvironment.class.getDeclaredField("nativeHandle");
      handle.setAccessible(true);
      long again =
          (long)
              create.invoke(
                  null,
                  api.getLong(null),
                  OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR.getValue(),
                  "batchwise");
      if (again != handle.getLong(environment)) {
        // not the shared environment: this binding does not work as expected, so leave it as it is
        LOG.warn(
            "ONNX Runtime gave a second environment instead of the shared one; Ctrl-C while a model"
                + " loads may crash the JVM");
        return false;
      }
      pinned = true;
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "could not keep ONNX Runtime's environment past its own shutdown hook ({}); Ctrl-C while a"
              + " model loads may crash the JVM",
          e.toString());
      return false;
    }
  }

  /**
   * Whether the environment is pinned, for tests.
   *
   * @return true once {@link #pin} succeeded
   */
  static synchronized boolean pinned() {
    return pinned;
  }
}
