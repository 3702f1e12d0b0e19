package io.batchwise.spark;

import io.batchwise.Batchwise;
import io.batchwise.config.ConfigOption;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link BatchwiseSpark#embed} does: which column to embed, where the vectors and errors go,
 * the Batchwise options of the executors' instances, and whether a failed row fails the job.
 * Immutable and serializable: Spark sends it to every task. It never holds a secret — {@link
 * Builder#option} refuses secret options, which the executors read from Spark conf ({@value
 * BatchwiseSpark#SECRET_CONF_PREFIX} followed by the option's key) or from their environment.
 *
 * <pre>{@code
 * EmbedSpec spec = EmbedSpec.builder("text")
 *     .outputColumn("embedding").errorColumn("embedding_error")
 *     .option("provider", "openai").option("openai.model", "text-embedding-3-small")
 *     .option("cache", "redis")   // cache.uri may carry a password: Spark conf spark.batchwise.secret.cache.uri
 *     .failOnError(false)
 *     .build();
 * }</pre>
 */
public final class EmbedSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String inputColumn;
  private final String outputColumn;
  private final String errorColumn;
  private final TreeMap<String, String> options;
  private final boolean failOnError;

  private EmbedSpec(Builder b) {
    this.inputColumn = b.inputColumn;
    this.outputColumn = b.outputColumn;
    this.errorColumn = b.errorColumn;
    this.options = new TreeMap<>(b.options);
    this.failOnError = b.failOnError;
  }

  /**
   * Starts a spec that embeds the string column {@code inputColumn}.
   *
   * @param inputColumn the column of texts
   * @return a builder
   */
  public static Builder builder(String inputColumn) {
    return new Builder(inputColumn);
  }

  /**
   * @return the column of texts
   */
  public String inputColumn() {
    return inputColumn;
  }

  /**
   * @return the column the vectors go to, {@code array<float>}, null where a row failed
   */
  public String outputColumn() {
    return outputColumn;
  }

  /**
   * @return the column the reason of a failed row goes to, null where a row succeeded
   */
  public String errorColumn() {
    return errorColumn;
  }

  /**
   * @return the Batchwise options of the executors' instances, by key; unmodifiable
   */
  public Map<String, String> options() {
    return Collections.unmodifiableMap(options);
  }

  /**
   * @return whether a failed row fails its task (and so the job), naming the row
   */
  public boolean failOnError() {
    return failOnError;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbedSpec s
        && inputColumn.equals(s.inputColumn)
        && outputColumn.equals(s.outputColumn)
        && errorColumn.equals(s.errorColumn)
        && options.equals(s.options)
        && failOnError == s.failOnError;
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputColumn, outputColumn, errorColumn, options, failOnError);
  }

  /** Shows everything: a spec holds no secret. */
  @Override
  public String toString() {
    return "EmbedSpec{input="
        + inputColumn
        + ", output="
        + outputColumn
        + ", error="
        + errorColumn
        + ", options="
        + options
        + ", failOnError="
        + failOnError
        + "}";
  }

  /** Builds an {@link EmbedSpec}. Not thread-safe. */
  public static final class Builder {
    private final String inputColumn;
    private String outputColumn = "embedding";
    private String errorColumn = "embedding_error";
    private final Map<String, String> options = new TreeMap<>();
    private boolean failOnError;
    private Map<String, ConfigOption<?>> declared;

    private Builder(String inputColumn) {
      this.inputColumn = requireName(inputColumn, "inputColumn");
    }

    private static String requireName(String name, String what) {
      Objects.requireNonNull(name, what);
      if (name.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return name;
    }

    /**
     * The column the vectors go to; default {@code embedding}.
     *
     * @param name a column name not in the input
     * @return this builder
     */
    public Builder outputColumn(String name) {
      this.outputColumn = requireName(name, "outputColumn");
      return this;
    }

    /**
     * The column the reason of a failed row goes to; default {@code embedding_error}.
     *
     * @param name a column name not in the input
     * @return this builder
     */
    public Builder errorColumn(String name) {
      this.errorColumn = requireName(name, "errorColumn");
      return this;
    }

    /**
     * Sets a Batchwise option of the executors' instances (see the README's configuration
     * reference).
     *
     * @param key the option, e.g. {@code provider}
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException when the option is a secret, such as {@code openai.api-key}:
     *     the spec is serialized into every task, so secrets come from the executors' Spark conf or
     *     environment
     * @throws IllegalStateException when the option was already set
     */
    public Builder option(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, () -> "value of option '" + key + "'");
      if (declared == null) {
        declared = Batchwise.declaredOptions();
      }
      ConfigOption<?> option = declared.get(key);
      if (option != null && option.secret()) {
        throw new IllegalArgumentException(
            "option '"
                + key
                + "' is a secret, and a spec is serialized into every"
                + " task: give it to the executors instead, as the Spark conf "
                + BatchwiseSpark.SECRET_CONF_PREFIX
                + key
                + " (hidden in Spark's UI and event logs) or in their environment ("
                + option.environmentVariable()
                + (option.envAliases().isEmpty()
                    ? ""
                    : ", " + String.join(", ", option.envAliases()))
                + ")");
      }
      if (options.putIfAbsent(key, value) != null) {
        throw new IllegalStateException("option '" + key + "' was already set");
      }
      return this;
    }

    /**
     * Sets many options; see {@link #option(String, String)}.
     *
     * @param values options by key
     * @return this builder
     */
    public Builder options(Map<String, String> values) {
      values.forEach(this::option);
      return this;
    }

    /**
     * Whether a failed row fails its task, naming the row's position; default false (the reason
     * goes to the error column). Spark retries a failed task; rows the cache holds cost nothing the
     * second time.
     *
     * @param fail whether to fail
     * @return this builder
     */
    public Builder failOnError(boolean fail) {
      this.failOnError = fail;
      return this;
    }

    /**
     * Creates the spec.
     *
     * @return the spec
     * @throws IllegalArgumentException when two of the columns have one name
     */
    public EmbedSpec build() {
      if (inputColumn.equals(outputColumn)
          || inputColumn.equals(errorColumn)
          || outputColumn.equals(errorColumn)) {
        throw new IllegalArgumentException(
            "the input column '"
                + inputColumn
                + "', output column '"
                + outputColumn
                + "' and error column '"
                + errorColumn
                + "' must have three different names");
      }
      return new EmbedSpec(this);
    }
  }
}
