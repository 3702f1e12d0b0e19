package io.batchwise.providers.openai.internal;

import static io.batchwise.providers.openai.internal.OpenAiOptions.*;

import com.knuddels.jtokkit.api.EncodingType;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.spi.InputPrefixes;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The {@code openai} options, read from {@link Config} and checked together. Immutable;
 * {@link #toString()} never shows the key.
 */
final class OpenAiSettings {
  /** The core option that names the model for any provider; it wins over {@code openai.model}. */
  static final String CORE_MODEL_KEY = "model";
  /** The core option that is the scheduler's batch timeout for each provider call. */
  static final String CORE_CALL_TIMEOUT_KEY = "call-timeout";
  /** The core options that limit calls and tokens started per minute. */
  static final String CORE_RPM_KEY = "requests-per-minute";
  static final String CORE_TPM_KEY = "tokens-per-minute";
  /** The call timeout when neither it nor the core call timeout is configured. */
  static final Duration STANDALONE_CALL_TIMEOUT = Duration.ofSeconds(60);
  /** Larger vectors than any embedding model produces: a typo guard, not a model limit. */
  static final int MAX_DIMENSIONS = 65_536;

  /** The options this provider shares with every endpoint of the server (the chat agent's too). */
  final ConnectionSettings connection;
  final ApiKey apiKey; // null when none is configured (local servers)
  final HttpUrl baseUrl;
  final String organization;
  final String project;
  final String model;
  final int dimensions;
  final boolean sendDimensions;
  final boolean normalized;
  final String user;
  final boolean base64;
  final String azureDeployment;
  final String azureApiVersion;
  final int maxInputsPerRequest;
  final int maxTokensPerRequest;
  final int maxTokensPerInput;
  final InputPrefixes prefixes;
  final EncodingType encoding;
  final Duration connectTimeout;
  final Duration readTimeout;
  final Duration callTimeout;
  final int requestsPerMinute;
  final long tokensPerMinute;
  final boolean allowInsecureHttp;

  private OpenAiSettings(Config config) {
    this.connection = ConnectionSettings.from(config);
    this.apiKey = connection.apiKey;
    this.baseUrl = connection.baseUrl;
    this.organization = connection.organization;
    this.project = connection.project;
    this.user = config.get(USER.key()).orElse(null);
    this.model = resolveModel(config);

    Optional<KnownModel> known = KnownModel.of(model);
    Optional<String> rawDims = config.get(DIMENSIONS.key());
    this.dimensions = resolveDimensions(config, known, rawDims.isPresent());
    this.sendDimensions = resolveSendDimensions(config, known, rawDims.isPresent());
    this.normalized = known.isPresent(); // OpenAI's embeddings are unit length, shortened ones too

    String format = config.require(ENCODING_FORMAT.key()).toLowerCase(Locale.ROOT);
    if (!format.equals("base64") && !format.equals("float")) {
      throw new ConfigurationException(
          "option '" + ENCODING_FORMAT.key() + "' must be base64 or float, was '" + format + "'");
    }
    this.base64 = format.equals("base64");

    this.azureDeployment = config.get(AZURE_DEPLOYMENT.key()).orElse(null);
    this.azureApiVersion = config.require(AZURE_API_VERSION.key());

    this.maxInputsPerRequest =
        config.getInt(MAX_INPUTS_PER_REQUEST.key(), DEFAULT_MAX_INPUTS_PER_REQUEST, 1, 1_000_000);
    this.maxTokensPerInput =
        config.getInt(MAX_TOKENS_PER_INPUT.key(), DEFAULT_MAX_TOKENS_PER_INPUT, 1, 100_000_000);
    this.maxTokensPerRequest =
        config.getInt(
            MAX_TOKENS_PER_REQUEST.key(), DEFAULT_MAX_TOKENS_PER_REQUEST, 1, Integer.MAX_VALUE);
    if (maxTokensPerRequest < maxTokensPerInput) {
      throw new ConfigurationException(
          "option '" + MAX_TOKENS_PER_REQUEST.key() + "' (" + maxTokensPerRequest
              + ") must be at least '" + MAX_TOKENS_PER_INPUT.key() + "' (" + maxTokensPerInput
              + "), or an input at the per-input limit could never be sent");
    }
    this.prefixes = new InputPrefixes(
        config.get(QUERY_PREFIX.key()).orElse(""), config.get(DOCUMENT_PREFIX.key()).orElse(""));
    this.encoding = resolveEncoding(config, model);

    this.connectTimeout = connection.connectTimeout;
    this.readTimeout = connection.readTimeout;
    this.callTimeout = resolveCallTimeout(config);
    int rpm = config.getInt(REQUESTS_PER_MINUTE.key(), 0, 0, 100_000_000);
    this.requestsPerMinute = rpm > 0 || !config.options().containsKey(CORE_RPM_KEY)
        ? rpm : config.getInt(CORE_RPM_KEY, 0, 0, 100_000_000);
    long tpm = config.getLong(TOKENS_PER_MINUTE.key(), 0, 0, 1_000_000_000_000L);
    this.tokensPerMinute = tpm > 0 || !config.options().containsKey(CORE_TPM_KEY)
        ? tpm : config.getLong(CORE_TPM_KEY, 0, 0, Long.MAX_VALUE / 4);
    this.allowInsecureHttp = connection.allowInsecureHttp;
    checkEndpoint();
  }

  /**
   * Reads and checks every option.
   *
   * @param config the configuration; it must know the {@code openai.*} options
   * @return the settings
   * @throws ConfigurationException naming the option, the bad value and what is allowed
   */
  static OpenAiSettings from(Config config) {
    return new OpenAiSettings(config);
  }

  boolean isAzure() {
    return azureDeployment != null;
  }

  /**
   * Checks a value that goes into a request header ({@code Authorization}, Azure's {@code api-key},
   * {@code OpenAI-Organization}, {@code OpenAI-Project}): only visible ASCII characters. A key copied
   * with a no-break or zero-width space, or with a line break in it, would otherwise fail inside
   * OkHttp, whose message prints the header's value (for {@code api-key}, the key itself), or worse,
   * be sent. The message names the option, the character and its position, never the value.
   *
   * @param option the option the value came from
   * @param value the value (already stripped of leading and trailing whitespace)
   * @return the value, when every character is allowed
   * @throws ConfigurationException naming the first character that is not
   */
  static String headerValue(ConfigOption option, String value) {
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (c < 0x21 || c > 0x7e) {
        String name = Character.getName(c);
        throw new ConfigurationException(
            "option '" + option.key() + "' has " + String.format(Locale.ROOT, "U+%04X", c)
                + (name != null ? " " + name : "") + " at character " + (i + 1) + ": it is sent in an"
                + " HTTP header, which allows only visible ASCII characters (no spaces, line breaks or"
                + " invisible characters); copy the value again"
                + (option.secret() ? " (the value is secret and not shown)" : ""));
      }
      i += Character.charCount(c);
    }
    return value;
  }

  /**
   * The core {@code model} option wins when the user set it. An option the pipeline declares with a
   * default (for another provider's model) is not a user choice, so its default is ignored.
   */
  private static String resolveModel(Config config) {
    ConfigOption core = config.options().get(CORE_MODEL_KEY);
    if (core != null) {
      Optional<String> value = config.get(CORE_MODEL_KEY);
      if (value.isPresent() && !value.get().equals(core.defaultValue())) {
        return value.get();
      }
    }
    return config.require(MODEL.key());
  }

  private int resolveDimensions(Config config, Optional<KnownModel> known, boolean set) {
    if (known.isEmpty()) {
      if (!set) {
        throw new ConfigurationException(
            "model '" + model + "' is not one this provider knows (" + KnownModel.names()
                + "), so its vector length must be given: set option '" + DIMENSIONS.key()
                + "' to the number of dimensions the server returns for it");
      }
      return config.getInt(DIMENSIONS.key(), 0, 1, MAX_DIMENSIONS);
    }
    KnownModel m = known.get();
    if (!set) {
      return m.nativeDimensions();
    }
    int dims = config.getInt(DIMENSIONS.key(), m.nativeDimensions(), 1, m.nativeDimensions());
    if (!m.acceptsDimensions() && dims != m.nativeDimensions()) {
      throw new ConfigurationException(
          "option '" + DIMENSIONS.key() + "' was " + dims + ", but " + m.name()
              + " cannot shorten its vectors (always " + m.nativeDimensions()
              + "); use text-embedding-3-small or text-embedding-3-large, or unset it");
    }
    return dims;
  }

  private static boolean resolveSendDimensions(
      Config config, Optional<KnownModel> known, boolean set) {
    String mode = config.require(SEND_DIMENSIONS.key()).toLowerCase(Locale.ROOT);
    switch (mode) {
      case "auto":
        return set && known.map(KnownModel::acceptsDimensions).orElse(false);
      case "always":
        return set;
      case "never":
        return false;
      default:
        throw new ConfigurationException(
            "option '" + SEND_DIMENSIONS.key() + "' must be auto, always or never, was '" + mode + "'");
    }
  }

  private static EncodingType resolveEncoding(Config config, String model) {
    Optional<String> explicit = config.get(TOKENIZER.key());
    if (explicit.isPresent()) {
      return TiktokenEncodings.encodingFor(explicit.get())
          .orElseThrow(
              () ->
                  new ConfigurationException(
                      "option '" + TOKENIZER.key() + "' must be a tiktoken encoding or OpenAI model"
                          + " name, one of " + TiktokenEncodings.names() + ", was '"
                          + explicit.get() + "'"));
    }
    // Unknown (non-OpenAI) models: cl100k_base is a fair estimate for the limits, and the exact
    // tokenizer of a local model is rarely tiktoken anyway.
    return TiktokenEncodings.encodingFor(model).orElse(EncodingType.CL100K_BASE);
  }

  private static Duration positive(Config config, ConfigOption option) {
    return ConnectionSettings.positive(config, option);
  }

  /**
   * The provider's own timeout for a whole call must fire before the scheduler's batch timeout (the
   * core {@code call-timeout}): then the failure is classified as retryable and the HTTP call is
   * cancelled, instead of the scheduler abandoning a call that keeps downloading. Unset, it is the
   * core timeout less a tenth (at least 50 ms, at most 2 s).
   */
  private static Duration resolveCallTimeout(Config config) {
    Duration core = config.options().containsKey(CORE_CALL_TIMEOUT_KEY)
        ? config.getDuration(CORE_CALL_TIMEOUT_KEY, Duration.ZERO) : Duration.ZERO;
    if (config.get(CALL_TIMEOUT.key()).isPresent()) {
      Duration own = positive(config, CALL_TIMEOUT);
      if (!core.isZero() && own.compareTo(core) >= 0) {
        throw new ConfigurationException(
            "option '" + CALL_TIMEOUT.key() + "' (" + own + ") must be below the core '"
                + CORE_CALL_TIMEOUT_KEY + "' (" + core + "), the scheduler's timeout for each call:"
                + " raise '" + CORE_CALL_TIMEOUT_KEY + "' for slow servers or large calls, or unset '"
                + CALL_TIMEOUT.key() + "' to derive it");
      }
      return own;
    }
    if (core.isZero()) {
      return STANDALONE_CALL_TIMEOUT;
    }
    Duration margin = core.dividedBy(10);
    margin = margin.compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : margin;
    margin = margin.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : margin;
    return margin.compareTo(core) >= 0 ? core.dividedBy(2) : core.minus(margin);
  }

  private void checkEndpoint() {
    if (isAzure()) {
      if (baseUrl.host().equals("api.openai.com")) {
        throw new ConfigurationException(
            "option '" + AZURE_DEPLOYMENT.key() + "' is set, so '" + BASE_URL.key()
                + "' must be your Azure OpenAI endpoint (https://RESOURCE.openai.azure.com),"
                + " not " + Endpoint.describe(baseUrl));
      }
      if (apiKey == null) {
        throw new ConfigurationException(
            "option '" + API_KEY.key() + "' is required for Azure OpenAI: set it on the builder, as -D"
                + API_KEY.systemProperty() + ", or as " + API_KEY.environmentVariable() + " or OPENAI_API_KEY");
      }
    }
    connection.checkKeyAndTransport(isAzure());
  }

  @Override
  public String toString() {
    return "OpenAiSettings{baseUrl=" + Endpoint.describe(baseUrl) + ", apiKey="
        + (apiKey == null ? "none" : apiKey) + ", model=" + model + ", dimensions=" + dimensions
        + ", sendDimensions=" + sendDimensions + ", base64=" + base64
        + (isAzure() ? ", azureDeployment=" + azureDeployment + ", azureApiVersion=" + azureApiVersion : "")
        + ", maxInputsPerRequest=" + maxInputsPerRequest + ", maxTokensPerRequest="
        + maxTokensPerRequest + ", maxTokensPerInput=" + maxTokensPerInput + ", prefixes=" + prefixes + ", encoding="
        + encoding.getName() + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
        + ", callTimeout=" + callTimeout + ", rpm=" + requestsPerMinute + ", tpm=" + tokensPerMinute
        + "}";
  }
}
