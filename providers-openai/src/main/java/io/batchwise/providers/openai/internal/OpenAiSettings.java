package io.batchwise.providers.openai.internal;

import static io.batchwise.providers.openai.internal.OpenAiOptions.*;

import com.knuddels.jtokkit.api.EncodingType;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.providers.openai.internal.OpenAiOptions.EncodingFormat;
import io.batchwise.spi.InputPrefixes;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The {@code openai} options, read from {@link Config} and checked together. Immutable; {@link
 * #toString()} never shows the key.
 */
final class OpenAiSettings {
  /** The call timeout when neither it nor the core call timeout is configured. */
  static final Duration STANDALONE_CALL_TIMEOUT = Duration.ofSeconds(60);

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
    this.user = config.find(USER).orElse(null);
    this.model = resolveModel(config);

    Optional<KnownModel> known = KnownModel.of(model);
    boolean dimsSet = config.isSet(DIMENSIONS);
    this.dimensions = resolveDimensions(config, known, dimsSet);
    this.sendDimensions = resolveSendDimensions(config, known, dimsSet);
    this.normalized = known.isPresent(); // OpenAI's embeddings are unit length, shortened ones too

    this.base64 = config.get(ENCODING_FORMAT) == EncodingFormat.BASE64;

    this.azureDeployment = config.find(AZURE_DEPLOYMENT).orElse(null);
    this.azureApiVersion = config.get(AZURE_API_VERSION);

    this.maxInputsPerRequest = config.get(MAX_INPUTS_PER_REQUEST);
    this.maxTokensPerInput = config.get(MAX_TOKENS_PER_INPUT);
    this.maxTokensPerRequest = config.get(MAX_TOKENS_PER_REQUEST);
    if (maxTokensPerRequest < maxTokensPerInput) {
      throw new ConfigurationException(
          "option '"
              + MAX_TOKENS_PER_REQUEST.key()
              + "' ("
              + maxTokensPerRequest
              + ") must be at least '"
              + MAX_TOKENS_PER_INPUT.key()
              + "' ("
              + maxTokensPerInput
              + "), or an input at the per-input limit could never be sent");
    }
    this.prefixes =
        new InputPrefixes(
            config.find(QUERY_PREFIX).orElse(""), config.find(DOCUMENT_PREFIX).orElse(""));
    this.encoding = resolveEncoding(config, model);

    this.connectTimeout = connection.connectTimeout;
    this.readTimeout = connection.readTimeout;
    this.callTimeout = resolveCallTimeout(config);
    // 0 (the default) takes the instance's own limit, when this provider runs inside one
    int rpm = config.get(REQUESTS_PER_MINUTE);
    this.requestsPerMinute =
        rpm > 0 || !withinInstance(config) ? rpm : config.get(CoreOptions.REQUESTS_PER_MINUTE);
    long tpm = config.get(TOKENS_PER_MINUTE);
    this.tokensPerMinute =
        tpm > 0 || !withinInstance(config) ? tpm : config.get(CoreOptions.TOKENS_PER_MINUTE);
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
   * {@code OpenAI-Organization}, {@code OpenAI-Project}): only visible ASCII characters. A key
   * copied with a no-break or zero-width space, or with a line break in it, would otherwise fail
   * inside OkHttp, whose message prints the header's value (for {@code api-key}, the key itself),
   * or worse, be sent. The message names the option, the character and its position, never the
   * value.
   *
   * @param option the option the value came from
   * @param value the value (already stripped of leading and trailing whitespace)
   * @return the value, when every character is allowed
   * @throws ConfigurationException naming the first character that is not
   */
  static String headerValue(ConfigOption<?> option, String value) {
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (c < 0x21 || c > 0x7e) {
        String name = Character.getName(c);
        throw new ConfigurationException(
            "option '"
                + option.key()
                + "' has "
                + String.format(Locale.ROOT, "U+%04X", c)
                + (name != null ? " " + name : "")
                + " at character "
                + (i + 1)
                + ": it is sent in an"
                + " HTTP header, which allows only visible ASCII characters (no spaces, line breaks or"
                + " invisible characters); copy the value again"
                + (option.secret() ? " (the value is secret and not shown)" : ""));
      }
      i += Character.charCount(c);
    }
    return value;
  }

  /**
   * Whether the configuration is a Batchwise instance's, which declares core's options: then the
   * core limits and call timeout apply; a provider created on its own has only its own options.
   */
  private static boolean withinInstance(Config config) {
    return config.options().containsKey(CoreOptions.CALL_TIMEOUT.key());
  }

  /** The core {@code model} option wins when the user set it. */
  private static String resolveModel(Config config) {
    return config.isSet(CoreOptions.MODEL) ? config.get(CoreOptions.MODEL) : config.get(MODEL);
  }

  private int resolveDimensions(Config config, Optional<KnownModel> known, boolean set) {
    if (known.isEmpty()) {
      if (!set) {
        throw new ConfigurationException(
            "model '"
                + model
                + "' is not one this provider knows ("
                + KnownModel.names()
                + "), so its vector length must be given: set option '"
                + DIMENSIONS.key()
                + "' to the number of dimensions the server returns for it");
      }
      return config.get(DIMENSIONS);
    }
    KnownModel m = known.get();
    if (!set) {
      return m.nativeDimensions();
    }
    int dims = config.get(DIMENSIONS.atMost(m.nativeDimensions()));
    if (!m.acceptsDimensions() && dims != m.nativeDimensions()) {
      throw new ConfigurationException(
          "option '"
              + DIMENSIONS.key()
              + "' was "
              + dims
              + ", but "
              + m.name()
              + " cannot shorten its vectors (always "
              + m.nativeDimensions()
              + "); use text-embedding-3-small or text-embedding-3-large, or unset it");
    }
    return dims;
  }

  private static boolean resolveSendDimensions(
      Config config, Optional<KnownModel> known, boolean set) {
    switch (config.get(SEND_DIMENSIONS)) {
      case AUTO:
        return set && known.map(KnownModel::acceptsDimensions).orElse(false);
      case ALWAYS:
        return set;
      default:
        return false;
    }
  }

  private static EncodingType resolveEncoding(Config config, String model) {
    Optional<String> explicit = config.find(TOKENIZER);
    if (explicit.isPresent()) {
      return TiktokenEncodings.encodingFor(explicit.get())
          .orElseThrow(
              () ->
                  new ConfigurationException(
                      "option '"
                          + TOKENIZER.key()
                          + "' must be a tiktoken encoding or OpenAI model"
                          + " name, one of "
                          + TiktokenEncodings.names()
                          + ", was '"
                          + explicit.get()
                          + "'"));
    }
    // Unknown (non-OpenAI) models: cl100k_base is a fair estimate for the limits, and the exact
    // tokenizer of a local model is rarely tiktoken anyway.
    return TiktokenEncodings.encodingFor(model).orElse(EncodingType.CL100K_BASE);
  }

  /**
   * The provider's own timeout for a whole call must fire before the scheduler's batch timeout (the
   * core {@code call-timeout}): then the failure is classified as retryable and the HTTP call is
   * cancelled, instead of the scheduler abandoning a call that keeps downloading. Unset, it is the
   * core timeout less a tenth (at least 50 ms, at most 2 s).
   */
  private static Duration resolveCallTimeout(Config config) {
    Duration core = withinInstance(config) ? config.get(CoreOptions.CALL_TIMEOUT) : Duration.ZERO;
    Optional<Duration> configured = config.find(CALL_TIMEOUT);
    if (configured.isPresent()) {
      Duration own = configured.get();
      if (!core.isZero() && own.compareTo(core) >= 0) {
        throw new ConfigurationException(
            "option '"
                + CALL_TIMEOUT.key()
                + "' ("
                + own
                + ") must be below the core '"
                + CoreOptions.CALL_TIMEOUT.key()
                + "' ("
                + core
                + "), the scheduler's timeout for each call:"
                + " raise '"
                + CoreOptions.CALL_TIMEOUT.key()
                + "' for slow servers or large calls, or unset '"
                + CALL_TIMEOUT.key()
                + "' to derive it");
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
            "option '"
                + AZURE_DEPLOYMENT.key()
                + "' is set, so '"
                + BASE_URL.key()
                + "' must be your Azure OpenAI endpoint (https://RESOURCE.openai.azure.com),"
                + " not "
                + Endpoint.describe(baseUrl));
      }
      if (apiKey == null) {
        throw new ConfigurationException(
            "option '"
                + API_KEY.key()
                + "' is required for Azure OpenAI: set it on the builder, as -D"
                + API_KEY.systemProperty()
                + ", or as "
                + API_KEY.environmentVariable()
                + " or OPENAI_API_KEY");
      }
    }
    connection.checkKeyAndTransport(isAzure());
  }

  @Override
  public String toString() {
    return "OpenAiSettings{baseUrl="
        + Endpoint.describe(baseUrl)
        + ", apiKey="
        + (apiKey == null ? "none" : apiKey)
        + ", model="
        + model
        + ", dimensions="
        + dimensions
        + ", sendDimensions="
        + sendDimensions
        + ", base64="
        + base64
        + (isAzure()
            ? ", azureDeployment=" + azureDeployment + ", azureApiVersion=" + azureApiVersion
            : "")
        + ", maxInputsPerRequest="
        + maxInputsPerRequest
        + ", maxTokensPerRequest="
        + maxTokensPerRequest
        + ", maxTokensPerInput="
        + maxTokensPerInput
        + ", prefixes="
        + prefixes
        + ", encoding="
        + encoding.getName()
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", callTimeout="
        + callTimeout
        + ", rpm="
        + requestsPerMinute
        + ", tpm="
        + tokensPerMinute
        + "}";
  }
}
