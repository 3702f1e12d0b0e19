package io.batchwise.benchmarks.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine and JVM a benchmark ran on, as the report prints it. Immutable.
 *
 * @param cores processors available to the JVM
 * @param physicalMemoryBytes the machine's memory, or -1 when the JVM cannot tell
 * @param maxHeapBytes the JVM's maximum heap
 * @param os operating system name, version and architecture
 * @param cpuModel the first {@code model name} in {@code /proc/cpuinfo}, or {@code unknown}
 * @param jdk the JVM's vendor, name and runtime version
 * @param jvmArguments the JVM's input arguments, as passed on its command line
 */
public record MachineInfo(
    int cores,
    long physicalMemoryBytes,
    long maxHeapBytes,
    String os,
    String cpuModel,
    String jdk,
    List<String> jvmArguments) {

  /** Copies the argument list. */
  public MachineInfo {
    jvmArguments = List.copyOf(jvmArguments);
  }

  /**
   * Describes the running machine and JVM.
   *
   * @return this machine's description
   */
  public static MachineInfo detect() {
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        physicalMemory(),
        Runtime.getRuntime().maxMemory(),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " ("
            + System.getProperty("os.arch")
            + ")",
        cpuModel(Path.of("/proc/cpuinfo")),
        System.getProperty("java.vendor")
            + " "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version"),
        ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /**
   * The CPU model named by a {@code /proc/cpuinfo}-style file.
   *
   * @param cpuinfo the file
   * @return the value of its first {@code model name} line, or {@code unknown} when there is none
   *     or the file cannot be read (as on systems other than Linux)
   */
  static String cpuModel(Path cpuinfo) {
    try {
      for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).strip().equals("model name")) {
          String model = line.substring(colon + 1).strip();
          return model.isEmpty() ? "unknown" : model;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable: the report says unknown rather than failing the run
    }
    return "unknown";
  }

  private static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return -1;
  }

  /**
   * The Markdown list the report starts with.
   *
   * @return one bullet per fact
   */
  public String toMarkdown() {
    return "- CPU: "
        + cpuModel
        + ", "
        + cores
        + " cores available to the JVM\n"
        + "- Memory: "
        + (physicalMemoryBytes < 0 ? "unknown" : gib(physicalMemoryBytes))
        + " physical, "
        + gib(maxHeapBytes)
        + " maximum heap\n"
        + "- OS: "
        + os
        + "\n"
        + "- JDK: "
        + jdk
        + "\n"
        + "- JVM arguments: "
        + (jvmArguments.isEmpty() ? "none" : "`" + String.join(" ", jvmArguments) + "`")
        + "\n";
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
