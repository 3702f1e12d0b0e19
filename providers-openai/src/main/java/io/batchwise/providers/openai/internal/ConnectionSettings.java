package io.batchwise.providers.openai.internal;

import static io.batchwise.providers.openai.internal.OpenAiOptions.ALLOW_INSECURE_HTTP;
import static io.batchwise.providers.openai.internal.OpenAiOptions.API_KEY;
import static io.batchwise.providers.openai.internal.OpenAiOptions.BASE_URL;
import static io.batchwise.providers.openai.internal.OpenAiOptions.CONNECT_TIMEOUT;
import static io.batchwise.providers.openai.internal.OpenAiOptions.DEFAULT_BASE_URL;
import static io.batchwise.providers.openai.internal.OpenAiOptions.ORGANIZATION;
import static io.batchwise.providers.openai.internal.OpenAiOptions.PROJECT;
import static io.batchwise.providers.openai.internal.OpenAiOptions.READ_TIMEOUT;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import java.time.Duration;
import okhttp3.HttpUrl;

/**
 * Where requests to an OpenAI-compatible server go and how they authenticate: the options every
 * endpoint of the server shares ({@code openai.api-key}, {@code openai.base-url}, {@code
 * openai.organization}, {@code openai.project}, the connect and read timeouts and the plain-http
 * opt-in), read and checked once for the embeddings provider and the chat agent alike. Immutable;
 * {@link #toString()} never shows the key.
 */
final class ConnectionSettings {
  final ApiKey apiKey; // null when none is configured (local servers)
  final HttpUrl baseUrl;
  final String organization;
  final String project;
  final Duration connectTimeout;
  final Duration readTimeout;
  final boolean allowInsecureHttp;

  private ConnectionSettings(ConnectionSettings of, Duration readTimeout) {
    this.apiKey = of.apiKey;
    this.baseUrl = of.baseUrl;
    this.organization = of.organization;
    this.project = of.project;
    this.connectTimeout = of.connectTimeout;
    this.readTimeout = readTimeout;
    this.allowInsecureHttp = of.allowInsecureHttp;
  }

  private ConnectionSettings(Config config) {
    this.apiKey =
        config
            .find(API_KEY)
            .map(v -> new ApiKey(OpenAiSettings.headerValue(API_KEY, v)))
            .orElse(null);
    this.baseUrl = parseBaseUrl(config.get(BASE_URL));
    this.organization =
        config
            .find(ORGANIZATION)
            .map(v -> OpenAiSettings.headerValue(ORGANIZATION, v))
            .orElse(null);
    this.project =
        config.find(PROJECT).map(v -> OpenAiSettings.headerValue(PROJECT, v)).orElse(null);
    this.connectTimeout = config.get(CONNECT_TIMEOUT);
    this.readTimeout = config.get(READ_TIMEOUT);
    this.allowInsecureHttp = config.get(ALLOW_INSECURE_HTTP);
  }

  /**
   * Reads and checks the shared options.
   *
   * @param config the configuration; it must know the {@code openai.*} options
   * @return the settings
   * @throws ConfigurationException naming the option, the bad value and what is allowed
   */
  static ConnectionSettings from(Config config) {
    return new ConnectionSettings(config);
  }

  /**
   * The same settings with another read timeout.
   *
   * @param readTimeout the longest wait for the next bytes of a response
   * @return a copy
   */
  ConnectionSettings withReadTimeout(Duration readTimeout) {
    return new ConnectionSettings(this, readTimeout);
  }

  /**
   * Checks that a key is configured where the server needs one and that it never travels
   * unencrypted: api.openai.com needs a key, and a key goes over plain http only to loopback unless
   * {@code openai.allow-insecure-http=true}.
   *
   * @param azure whether the caller has already checked the key for an Azure deployment (Azure's
   *     own rules differ)
   * @throws ConfigurationException naming the option and the fix
   */
  void checkKeyAndTransport(boolean azure) {
    boolean openAiHost =
        baseUrl.host().equals("api.openai.com") || baseUrl.host().endsWith(".openai.com");
    if (!azure && openAiHost && apiKey == null) {
      throw new ConfigurationException(
          "option '"
              + API_KEY.key()
              + "' is required for "
              + Endpoint.describe(baseUrl)
              + ": set it on the builder, as -D"
              + API_KEY.systemProperty()
              + ", or as the"
              + " environment variable OPENAI_API_KEY (or "
              + API_KEY.environmentVariable()
              + ")");
    }
    if (apiKey != null
        && !baseUrl.isHttps()
        && !Endpoint.isLoopback(baseUrl.host())
        && !allowInsecureHttp) {
      throw new ConfigurationException(
          "option '"
              + BASE_URL.key()
              + "' is "
              + Endpoint.describe(baseUrl)
              + ": plain http to a"
              + " host that is not loopback would send the API key unencrypted. Use https, or set '"
              + ALLOW_INSECURE_HTTP.key()
              + "=true' if the network is trusted");
    }
  }

  /**
   * The part of where requests go that decides what comes back: the base URL's host, port and path,
   * never its scheme, user info or query (which may be secret).
   *
   * @return {@code host:port/path} without a trailing slash
   */
  String endpointIdentity() {
    return endpointIdentity(baseUrl);
  }

  /**
   * See {@link #endpointIdentity()}.
   *
   * @param baseUrl a base URL
   * @return {@code host:port/path} without a trailing slash
   */
  static String endpointIdentity(HttpUrl baseUrl) {
    String path = baseUrl.encodedPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1); // ".../v1/" and ".../v1" are one endpoint
    }
    return baseUrl.host() + ":" + baseUrl.port() + path;
  }

  private static HttpUrl parseBaseUrl(String raw) {
    HttpUrl url = HttpUrl.parse(raw);
    if (url == null) {
      throw new ConfigurationException(
          "option '"
              + BASE_URL.key()
              + "' must be an http or https URL such as "
              + DEFAULT_BASE_URL
              + ", was '"
              + Endpoint.describe(raw)
              + "'");
    }
    if (url.querySize() > 0 || url.fragment() != null) {
      throw new ConfigurationException(
          "option '"
              + BASE_URL.key()
              + "' must not have a query or fragment, was '"
              + Endpoint.describe(url)
              + "'");
    }
    return url;
  }

  @Override
  public String toString() {
    return "ConnectionSettings{baseUrl="
        + Endpoint.describe(baseUrl)
        + ", apiKey="
        + (apiKey == null ? "none" : apiKey)
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + "}";
  }
}
