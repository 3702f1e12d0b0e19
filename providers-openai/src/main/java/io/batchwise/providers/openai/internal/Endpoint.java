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
 * Where embeddings requests go and how they authenticate: {@code POST {base}/embeddings} with
 * {@code Authorization: Bearer} for OpenAI and compatible servers, or
 * {@code POST {base}/openai/deployments/{deployment}/embeddings?api-version=...} with an
 * {@code api-key} header for Azure OpenAI. Immutable and thread-safe.
 *
 * <p>The key lives only in {@link #headers}; nothing here prints headers, and {@link #toString()} shows
 * the URL without user info.
 */
final class Endpoint {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String USER_AGENT = "batchwise-providers-openai";

  private final HttpUrl url;
  private final Headers headers;

  Endpoint(OpenAiSettings settings) {
    this.url = embeddingsUrl(settings);
    Headers.Builder h = new Headers.Builder().add("Accept", "application/json").add("User-Agent", USER_AGENT);
    if (settings.apiKey != null) {
      if (settings.isAzure()) {
        h.add("api-key", settings.apiKey.reveal());
      } else {
        h.add("Authorization", "Bearer " + settings.apiKey.reveal());
      }
    }
    if (settings.organization != null) {
      h.add("OpenAI-Organization", settings.organization);
    }
    if (settings.project != null) {
      h.add("OpenAI-Project", settings.project);
    }
    this.headers = h.build();
  }

  private static HttpUrl embeddingsUrl(OpenAiSettings s) {
    HttpUrl.Builder b = s.baseUrl.newBuilder();
    // drop a trailing slash so that "…/v1/" and "…/v1" give the same URL
    int last = s.baseUrl.pathSize() - 1;
    if (last >= 0 && s.baseUrl.pathSegments().get(last).isEmpty()) {
      b.removePathSegment(last);
    }
    if (s.isAzure()) {
      b.addPathSegment("openai").addPathSegment("deployments").addPathSegment(s.azureDeployment)
          .addPathSegment("embeddings").addQueryParameter("api-version", s.azureApiVersion);
    } else {
      b.addPathSegment("embeddings");
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
    return new Request.Builder().url(url).headers(headers)
        .post(RequestBody.create(body.bytes(), JSON, 0, body.length())).build();
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
    return at >= 0 ? (scheme >= 0 ? raw.substring(0, scheme + 3) : "") + "****" + raw.substring(at) : raw;
  }

  /**
   * Whether {@code host} is this machine: {@code localhost}, a {@code *.localhost} name, or a loopback
   * IP literal. Names are never resolved (no DNS at configuration time).
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
