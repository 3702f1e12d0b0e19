package io.batchwise.spring.boot;

import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

/**
 * The {@code batchwise.*} properties of a Spring {@link Environment}, read by the keys Batchwise
 * declares, with Spring's precedence (command line, then system properties, then environment
 * variables, then {@code application.properties}/{@code .yml}) and its relaxed names ({@code
 * batchwise.local.maxSequenceLength}, {@code BATCHWISE_LOCAL_MAX_SEQUENCE_LENGTH}).
 */
final class EnvironmentOptions {
  /** The prefix of every Batchwise property. */
  static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("batchwise");

  private EnvironmentOptions() {}

  /**
   * Every declared option that the environment sets.
   *
   * @param environment the application's environment
   * @param declared the options Batchwise declares on the class path, by key
   * @return values by option key, for {@code Batchwise.Builder.options}
   * @throws ConfigurationException when a {@code batchwise.*} property names no declared option,
   *     with the message {@code build()} gives (the closest names), and where the property was set
   */
  static Map<String, String> read(Environment environment, Map<String, ConfigOption<?>> declared) {
    Map<ConfigurationPropertyName, String> keys =
        declared.keySet().stream().collect(Collectors.toMap(k -> PREFIX.append(k), k -> k));
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source instanceof IterableConfigurationPropertySource && !fromOsEnvironment(source)) {
        ((IterableConfigurationPropertySource) source)
            .stream()
                .filter(PREFIX::isAncestorOf)
                .filter(name -> !keys.containsKey(name))
                .findFirst()
                .ifPresent(
                    name -> {
                      throw unknown(name, source.getConfigurationProperty(name), declared.keySet());
                    });
      }
    }
    Binder binder = Binder.get(environment);
    Map<String, String> values = new LinkedHashMap<>();
    keys.forEach(
        (name, key) ->
            binder.bind(name, Bindable.of(String.class)).ifBound(value -> values.put(key, value)));
    return values;
  }

  /**
   * Whether a source is the process's environment variables, whose {@code BATCHWISE_*} names cannot
   * be mapped back to one key ({@code _} stands for both {@code .} and {@code -}); Batchwise warns
   * about an unknown one instead of failing, since the environment is shared.
   */
  private static boolean fromOsEnvironment(ConfigurationPropertySource source) {
    Object underlying = source.getUnderlyingSource();
    return underlying instanceof org.springframework.core.env.PropertySource
        && StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(
            ((org.springframework.core.env.PropertySource<?>) underlying).getName());
  }

  private static ConfigurationException unknown(
      ConfigurationPropertyName name, ConfigurationProperty property, Set<String> known) {
    String key = name.subName(PREFIX.getNumberOfElements()).toString();
    String where =
        "set as "
            + name
            + (property != null && property.getOrigin() != null
                ? " in " + property.getOrigin()
                : "");
    return ConfigurationException.unknownOption(key, known, where);
  }
}
