package io.batchwise.providers.local.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches off what the two native libraries would otherwise send home, before either starts.
 *
 * <ul>
 *   <li>DJL (the HuggingFace tokenizers binding) calls a cloud metadata endpoint when a tokenizer
 *       is created unless {@code OPT_OUT_TRACKING} is true; it reads the environment variable first
 *       and the system property second ({@code ai.djl.util.Utils.getEnvOrSystemProperty}), so
 *       setting the system property works whenever the variable is unset.
 *   <li>ONNX Runtime 1.29's Linux build starts a telemetry uploader when its environment is
 *       created: it reads {@code /etc/machine-id} and {@code /proc/self/cmdline}, writes a device
 *       id under {@code ~/.cache/Microsoft}, and uploads to a Microsoft collector. Only the
 *       environment variable {@code ORT_DISABLE_TELEMETRY}, read by native code before
 *       initialization, stops all of it (its command-line scan also overflows a 1 MB thread stack
 *       when the command line is a few KB long, crashing the JVM). Java cannot set its own
 *       environment, so this calls the C library's {@code setenv} through JNA, once, before ONNX
 *       Runtime is first touched.
 * </ul>
 *
 * <p>An explicit user choice (the variable already set) is respected and logged; when the process
 * started with {@code ORT_DISABLE_TELEMETRY} already true (as the command line's launcher starts
 * it), the C library is not loaded at all. Thread-safe; idempotent.
 */
final class NativeOptOuts {
  static final String DJL_OPT_OUT = "OPT_OUT_TRACKING";
  static final String ORT_OPT_OUT = "ORT_DISABLE_TELEMETRY";

  private static final Logger LOG = LoggerFactory.getLogger(NativeOptOuts.class);
  private static boolean applied;

  private NativeOptOuts() {}

  /** The C library's environment functions; POSIX only. */
  interface CLibrary extends Library {
    String getenv(String name);

    int setenv(String name, String value, int overwrite);
  }

  /** Applies both opt-outs once; call before any DJL or ONNX Runtime class is used. */
  static synchronized void apply() {
    if (applied) {
      return;
    }
    applied = true;
    optOutOfDjlTracking();
    optOutOfOrtTelemetry();
  }

  private static void optOutOfDjlTracking() {
    String env = System.getenv(DJL_OPT_OUT);
    if (env != null) {
      if (!Boolean.parseBoolean(env)) {
        LOG.warn(
            "the environment sets {}={}, so DJL may contact a cloud metadata endpoint when a"
                + " tokenizer loads; unset it or set it to true",
            DJL_OPT_OUT,
            env);
      }
      return;
    }
    String property = System.getProperty(DJL_OPT_OUT);
    if (property == null) {
      System.setProperty(DJL_OPT_OUT, "true");
    } else if (!Boolean.parseBoolean(property)) {
      LOG.warn(
          "-D{}={} lets DJL contact a cloud metadata endpoint when a tokenizer loads",
          DJL_OPT_OUT,
          property);
    }
  }

  private static void optOutOfOrtTelemetry() {
    if (Platform.isWindows()) {
      // the Windows build's ETW telemetry honours OrtEnvironment.setTelemetry(false), called on
      // creation
      return;
    }
    String inherited = System.getenv(ORT_OPT_OUT);
    if (inherited != null && isTrue(inherited)) {
      // the process started with it (the command line's launcher sets it): nothing to set, and
      // loading the
      // C library through JNA (which runs ldconfig on Linux) would only cost start-up time
      return;
    }
    try {
      CLibrary libc = Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
      String current = libc.getenv(ORT_OPT_OUT);
      if (current == null) {
        if (libc.setenv(ORT_OPT_OUT, "1", 0) != 0) {
          LOG.warn(
              "could not set {}=1 ({}); set it in the environment to keep ONNX Runtime from"
                  + " sending telemetry",
              ORT_OPT_OUT,
              Native.getLastError());
        }
      } else if (!isTrue(current)) {
        LOG.warn(
            "the environment sets {}={}, so ONNX Runtime may send telemetry", ORT_OPT_OUT, current);
      }
    } catch (LinkageError | RuntimeException e) {
      LOG.warn(
          "could not set {}=1 through the C library ({}); set it in the environment to keep ONNX"
              + " Runtime from sending telemetry",
          ORT_OPT_OUT,
          e.toString());
    }
  }

  /**
   * The value of {@code ORT_DISABLE_TELEMETRY} that native code sees, for tests and diagnostics.
   *
   * @return the value, or null when unset or on Windows
   */
  static String ortOptOutSeenByNativeCode() {
    if (Platform.isWindows()) {
      return null;
    }
    return Native.load(Platform.C_LIBRARY_NAME, CLibrary.class).getenv(ORT_OPT_OUT);
  }

  private static boolean isTrue(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    return v.equals("1") || v.equals("true") || v.equals("yes") || v.equals("on");
  }
}
