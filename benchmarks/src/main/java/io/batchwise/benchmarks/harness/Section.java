package io.batchwise.benchmarks.harness;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A named, not yet created {@link MacroBenchmark}: the harness creates it only when it runs it, so
 * a section that cannot even be constructed fails alone. Immutable.
 *
 * @param key the short name {@code --only} selects it by, e.g. {@code tokenizer}
 * @param className the implementing class's name, for the report
 * @param fullModeOnly whether a run in quick mode leaves it out unless {@code --only} names it (see
 *     {@link FullModeOnly})
 * @param factory creates the section; may throw, which the harness reports as the section's failure
 */
public record Section(
    String key, String className, boolean fullModeOnly, Supplier<MacroBenchmark> factory) {

  /** Checks the fields. */
  public Section {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(factory, "factory");
  }

  /**
   * A section for a class with a public no-argument constructor; full-mode-only when the class is
   * annotated {@link FullModeOnly}.
   *
   * @param key its short name
   * @param type the class
   * @return the section
   */
  public static Section of(String key, Class<? extends MacroBenchmark> type) {
    return new Section(
        key,
        type.getName(),
        type.isAnnotationPresent(FullModeOnly.class),
        () -> {
          try {
            return type.getDeclaredConstructor().newInstance();
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                "cannot create "
                    + type.getName()
                    + ": a section needs a public no-argument constructor",
                e);
          }
        });
  }

  /**
   * The class's simple name.
   *
   * @return e.g. {@code TokenizerBenchmark}
   */
  public String simpleName() {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /**
   * Whether {@code --only name} selects this section: its key or its class's simple name, ignoring
   * case.
   *
   * @param name a name given on the command line
   * @return true when it names this section
   */
  public boolean matches(String name) {
    return key.equalsIgnoreCase(name) || simpleName().equalsIgnoreCase(name);
  }
}
