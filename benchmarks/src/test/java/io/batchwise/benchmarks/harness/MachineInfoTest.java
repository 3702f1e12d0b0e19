package io.batchwise.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineInfoTest {
  @TempDir Path dir;

  @Test
  @DisplayName("reads the CPU model from the first 'model name' line of a cpuinfo file")
  void cpuModelFromCpuinfo() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("cpuinfo"),
            "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n"
                + "processor\t: 1\nmodel name\t: Other\n");
    assertThat(MachineInfo.cpuModel(f)).isEqualTo("Intel(R) Xeon(R) CPU @ 2.20GHz");
  }

  @Test
  @DisplayName("says unknown when there is no cpuinfo or no model name in it")
  void unknownCpuModel() throws Exception {
    assertThat(MachineInfo.cpuModel(dir.resolve("missing"))).isEqualTo("unknown");
    assertThat(
            MachineInfo.cpuModel(
                Files.writeString(dir.resolve("arm"), "processor\t: 0\nBogoMIPS\t: 50.00\n")))
        .isEqualTo("unknown");
  }

  @Test
  @DisplayName("describes this machine: cores, heap and JDK as the JVM reports them")
  void detectsThisMachine() {
    MachineInfo m = MachineInfo.detect();
    assertThat(m.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(m.maxHeapBytes()).isEqualTo(Runtime.getRuntime().maxMemory());
    assertThat(m.toMarkdown())
        .contains(m.cores() + " cores available to the JVM")
        .contains(System.getProperty("java.runtime.version"))
        .contains(System.getProperty("os.name"));
  }
}
