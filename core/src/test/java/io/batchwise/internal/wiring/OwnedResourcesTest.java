package io.batchwise.internal.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OwnedResourcesTest {

  @Test
  @DisplayName(
      "closes by stage, whatever the order of creation; newest first within a stage; failures do not stop it")
  void closesByStage() {
    List<String> closed = new ArrayList<>();
    OwnedResources owned = new OwnedResources();
    owned.own(OwnedResources.Stage.EXECUTORS, () -> closed.add("cpu pool"));
    owned.own(OwnedResources.Stage.CACHE, () -> closed.add("cache"));
    owned.own(OwnedResources.Stage.SCHEDULER, () -> closed.add("scheduler"));
    owned.own(OwnedResources.Stage.EXECUTORS, () -> closed.add("io pool"));
    owned.own(
        OwnedResources.Stage.PROVIDER,
        () -> {
          closed.add("provider");
          throw new IllegalStateException("provider failed to close");
        });
    owned.own(OwnedResources.Stage.SETTLE, () -> closed.add("settle embeds"));
    owned.own(OwnedResources.Stage.STOP_INTAKE, () -> closed.add("stop intake"));
    owned.close();
    assertThat(closed)
        .containsExactly(
            "stop intake",
            "scheduler",
            "settle embeds",
            "provider",
            "cache",
            "io pool",
            "cpu pool");
    owned.close();
    assertThat(closed).hasSize(7);
    assertThatThrownBy(() -> owned.own(OwnedResources.Stage.CACHE, () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
