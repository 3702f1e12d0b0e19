package io.batchwise.providers.openai.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Where requests go and how they authenticate: {@code POST {base}/embeddings} (or {@code
 * {base}/chat/completions}, {@code {base}/responses}) with {@code Authorization: Bearer} for OpenAI
 * and compatible servers, or {@code POST
 * {base}/openai/deployments/{deployment}/embeddings?api-version=...} with an {@code api-key} header
 * for Azure OpenAI. Immutable and thread-safe.
 *
 * <p>The key lives only in {@link #headers}; nothing here prints headers, and {@link #toString()}
 * shows the URL without user info.
 */
final class Endpoint {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String USER_AGENT = "batchwise-providers-openai";

  private final HttpUrl url;
  private final Headers headers;

  Endpoint(OpenAiSettings settings) {
    this(
        url(settings.connection, settings.azureDeployment, settings.azureApiVersion, "embeddings"),
        headers(settings.connection, settings.isAzure()));
  }

  /**
   * An endpoint of an OpenAI-compatible server (not Azure's deployment URLs): {@code POST
   * {base}/{path}} with {@code Authorization: Bearer}.
   *
   * @param connection the shared server settings
   * @param path the path under the base URL, e.g. {@code chat/completions}
   */
  Endpoint(ConnectionSettings connection, String path) {
    this(url(connection, null, null, path), headers(connection, false));
  }

  private Endpoint(HttpUrl url, Headers headers) {
    this.url = url;
    this.headers = headers;
  }

  private static Headers headers(ConnectionSettings c, boolean azure) {
    Headers.Builder h =
        new Headers.Builder().add("Accept", "application/json").add("User-Agent", USER_AGENT);
    if (c.apiKey != null) {
      if (azure) {
        h.add("api-key", c.apiKey.reveal());
      } else {
        h.add("Authorization", "Bearer " + c.apiKey.reveal());
      }
    }
    if (c.organization != null) {
      h.add("OpenAI-Organization", c.organization);
    }
    if (c.project != null) {
      h.add("OpenAI-Project", c.project);
    }
    return h.build();
  }

  private static HttpUrl url(
      ConnectionSettings c, String azureDeployment, String azureApiVersion, String path) {
    HttpUrl.Builder b = c.baseUrl.newBuilder();
    // drop a trailing slash so that "…/v1/" and "…/v1" give the same URL
    int last = c.baseUrl.pathSize() - 1;
    if (last >= 0 && c.baseUrl.pathSegments().get(last).isEmpty()) {
      b.removePathSegment(last);
    }
    if (azureDeployment != null) {
      b.addPathSegment("openai")
          .addPathSegment("deployments")
          .addPathSegment(azureDeployment)
          .addPathSegments(path)
          .addQueryParameter("api-version", azureApiVersion);
    } else {
      b.addPathSegments(path);
    }
    return b.build();
  }

  /**
   * A POST of {@code body} (JSON) to the embeddings URL with the authentication headers.
   *
   * @param body the request JSON
   * @return the request
   */
  Request newRequest(EmbeddingRequestWriter.Body body) {
    return newRequest(body.bytes(), body.length());
  }

  /**
   * A POST of the first {@code length} bytes of {@code json} to the endpoint's URL with the
   * authentication headers.
   *
   * @param json the request JSON, UTF-8
   * @param length how many bytes of it to send
   * @return the request
   */
  Request newRequest(byte[] json, int length) {
    return new Request.Builder()
        .url(url)
        .headers(headers)
        .post(RequestBody.create(json, JSON, 0, length))
        .build();
  }

  /**
   * A request to the endpoint's URL with {@code segments} appended (e.g. a batch id, then {@code
   * cancel}) and the authentication headers; the caller sets the method and body.
   *
   * @param segments path segments after the endpoint's path, each encoded as one segment
   * @return the builder
   */
  Request.Builder to(String... segments) {
    HttpUrl.Builder b = url.newBuilder();
    for (String s : segments) {
      b.addPathSegment(s);
    }
    return new Request.Builder().url(b.build()).headers(headers);
  }

  HttpUrl url() {
    return url;
  }

  /**
   * The URL for messages: scheme, host, port, path and query, never user info.
   *
   * @param url a URL
   * @return the printable form
   */
  static String describe(HttpUrl url) {
    return url.newBuilder().username("").password("").build().toString();
  }

  /**
   * A configured string that did not parse, for messages: anything before an {@code @} (user info)
   * is hidden.
   *
   * @param raw the configured value
   * @return the printable form
   */
  static String describe(String raw) {
    int at = raw.lastIndexOf('@');
    int scheme = raw.indexOf("://");
    return at >= 0
        ? (scheme >= 0 ? raw.substring(0, scheme + 3) : "") + "****" + raw.substring(at)
        : raw;
  }

  /**
   * Whether {@code host} is this machine: {@code localhost}, a {@code *.localhost} name, or a
   * loopback IP literal. Names are never resolved (no DNS at configuration time).
   *
   * @param host a URL host
   * @return true for loopback
   */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    boolean ipLiteral = h.contains(":") || h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (!ipLiteral) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, not looked up
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return describe(url);
  }
}
