package io.batchwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The meters {@code io.batchwise.meters.MeterNames} documents, read from its source: each meter
 * constant's javadoc starts with its kind ({@code Counter:}, {@code Timer:}, {@code Gauge:}, {@code
 * Histogram}), names the tags it has beyond provider, model, cache and job ("tagged by outcome",
 * "tagged by {@link #GEN_AI_...}"), and its base unit ("base unit {@code bytes}"). A test that has
 * run some Batchwise work checks the registry against it with {@link #check}, so that the javadoc
 * and what is registered cannot drift apart.
 *
 * @param meters the documented meters by name
 */
public record MeterDocs(Map<String, Doc> meters) {
  /** Tags every meter may have without saying so. */
  private static final Set<String> COMMON_TAGS = Set.of("provider", "model", "cache", "job");

  private static final Pattern CONSTANT =
      Pattern.compile(
          "/\\*\\*(.*?)\\*/\\s*public static final String (\\w+) = \"([^\"]+)\";", Pattern.DOTALL);
  private static final Pattern LINK = Pattern.compile("\\{@link #(\\w+)}");
  private static final Pattern TAGGED_BY = Pattern.compile("tagged by ([^.;]*)");
  private static final Pattern BASE_UNIT =
      Pattern.compile("base unit \\{@code (.+?)}(?=[;.,\\s]|$)");

  /**
   * One documented meter.
   *
   * @param name its name
   * @param type its kind
   * @param tags the tags its javadoc names, which it must have (beyond the common ones)
   * @param baseUnit its base unit, or null when the javadoc names none
   */
  public record Doc(String name, Meter.Type type, Set<String> tags, String baseUnit) {}

  /**
   * Reads {@code MeterNames.java} from core's sources.
   *
   * @param coreDir core's module directory (from another module's tests, {@code ../core})
   * @return the documented meters
   */
  public static MeterDocs read(Path coreDir) {
    String source;
    try {
      source =
          Files.readString(coreDir.resolve("src/main/java/io/batchwise/meters/MeterNames.java"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> docs = new LinkedHashMap<>();
    Matcher m = CONSTANT.matcher(source);
    while (m.find()) {
      String doc = m.group(1).replaceAll("\\s*\\n\\s*\\*\\s?", " ").trim();
      values.put(m.group(2), m.group(3));
      docs.put(m.group(2), doc);
    }
    Map<String, Doc> meters = new LinkedHashMap<>();
    docs.forEach(
        (constant, doc) -> {
          Meter.Type type = typeOf(doc);
          if (type == null) {
            return; // a tag, a tag value, an observation or its key
          }
          Set<String> tags = new LinkedHashSet<>();
          Matcher tagged = TAGGED_BY.matcher(doc);
          if (tagged.find()) {
            String list = tagged.group(1);
            Matcher links = LINK.matcher(list);
            boolean linked = false;
            while (links.find()) {
              tags.add(values.get(links.group(1)));
              linked = true;
            }
            if (!linked) {
              tags.add(list.trim().split("[\\s(,]")[0]);
            }
          }
          Matcher unit = BASE_UNIT.matcher(doc);
          meters.put(
              values.get(constant),
              new Doc(values.get(constant), type, tags, unit.find() ? unit.group(1) : null));
        });
    return new MeterDocs(meters);
  }

  private static Meter.Type typeOf(String doc) {
    String d = doc.toLowerCase(Locale.ROOT);
    if (d.startsWith("counter:")) {
      return Meter.Type.COUNTER;
    }
    if (d.startsWith("timer:")) {
      return Meter.Type.TIMER;
    }
    if (d.startsWith("gauge:")) {
      return Meter.Type.GAUGE;
    }
    if (d.startsWith("histogram")) {
      return Meter.Type.DISTRIBUTION_SUMMARY;
    }
    return null;
  }

  /**
   * Checks every {@code batchwise.*} and {@code gen_ai.*} meter in {@code registry} against its
   * javadoc: documented, of the documented kind, with the documented base unit (none when none is
   * documented, timers aside, whose unit is the registry's), with every tag its javadoc names and
   * no tag it does not name.
   *
   * @param registry a registry Batchwise has recorded to
   * @return the names of the meters checked
   */
  public Set<String> check(MeterRegistry registry) {
    Set<String> checked = new LinkedHashSet<>();
    for (Meter meter : registry.getMeters()) {
      Meter.Id id = meter.getId();
      if (!id.getName().startsWith("batchwise.") && !id.getName().startsWith("gen_ai.")) {
        continue;
      }
      checked.add(id.getName());
      Doc doc = meters.get(id.getName());
      assertThat(doc)
          .as("meter %s is registered but MeterNames does not document it", id.getName())
          .isNotNull();
      Meter.Type type =
          id.getType() == Meter.Type.LONG_TASK_TIMER ? Meter.Type.TIMER : id.getType();
      assertThat(type).as("kind of %s", id.getName()).isEqualTo(doc.type());
      if (doc.type() != Meter.Type.TIMER) {
        assertThat(id.getBaseUnit()).as("base unit of %s", id.getName()).isEqualTo(doc.baseUnit());
      }
      Set<String> keys = new LinkedHashSet<>();
      for (Tag t : id.getTagsAsIterable()) {
        keys.add(t.getKey());
      }
      Set<String> allowed = new LinkedHashSet<>(COMMON_TAGS);
      allowed.addAll(doc.tags());
      assertThat(allowed)
          .as("tags of %s (%s) against its javadoc", id.getName(), keys)
          .containsAll(keys);
      Set<String> required = new LinkedHashSet<>(doc.tags());
      required.remove("error.type"); // only on failures, as its javadoc says
      assertThat(keys).as("tags of %s against its javadoc", id.getName()).containsAll(required);
    }
    return checked;
  }
}
