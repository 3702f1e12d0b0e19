package io.batchwise.benchmarks.openai;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The baselines: what an application writes without a batching framework, with the JDK's HTTP
 * client. One request per text awaited in turn, one request per text with bounded fan-out (the
 * "parallel gather"), and requests of up to 2,048 texts sent one after another. Requests and
 * answers use the same JSON and base64 vectors as the provider, so only the strategy differs.
 */
final class PlainEmbeddingsClient implements AutoCloseable {
  private final URI uri;
  private final String model;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "plain-client");
            t.setDaemon(true);
            return t;
          });
  private final HttpClient client;
  private final JsonFactory json = new JsonFactory();

  PlainEmbeddingsClient(String baseUrl, String model) {
    this.uri = URI.create(baseUrl + "/embeddings");
    this.model = model;
    this.client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads).build();
  }

  /** One request per text, each awaited before the next is sent. */
  List<float[]> sequentialSingles(List<String> texts) throws Exception {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(send(List.of(t)).get(0));
    }
    return out;
  }

  /** One request per text, at most {@code fanOut} in flight, gathered in input order. */
  List<float[]> parallelSingles(List<String> texts, int fanOut) {
    Semaphore permits = new Semaphore(fanOut);
    List<CompletableFuture<List<float[]>>> calls = new ArrayList<>(texts.size());
    for (String t : texts) {
      permits.acquireUninterruptibly();
      CompletableFuture<List<float[]>> call = sendAsync(List.of(t));
      call.whenComplete((v, e) -> permits.release());
      calls.add(call);
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (CompletableFuture<List<float[]>> c : calls) {
      out.add(c.join().get(0));
    }
    return out;
  }

  /** Requests of up to {@code batch} texts, each awaited before the next is sent. */
  List<float[]> sequentialBatches(List<String> texts, int batch) throws Exception {
    List<float[]> out = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += batch) {
      out.addAll(send(texts.subList(from, Math.min(texts.size(), from + batch))));
    }
    return out;
  }

  private List<float[]> send(List<String> texts) throws Exception {
    HttpResponse<InputStream> r =
        client.send(request(texts), HttpResponse.BodyHandlers.ofInputStream());
    return read(r, texts.size());
  }

  private CompletableFuture<List<float[]>> sendAsync(List<String> texts) {
    return client
        .sendAsync(request(texts), HttpResponse.BodyHandlers.ofInputStream())
        .thenApply(r -> read(r, texts.size()));
  }

  private HttpRequest request(List<String> texts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (JsonGenerator g = json.createGenerator(body)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeArrayFieldStart("input");
      for (String t : texts) {
        g.writeString(t);
      }
      g.writeEndArray();
      g.writeStringField("encoding_format", "base64");
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer benchmark-key")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .build();
  }

  private List<float[]> read(HttpResponse<InputStream> response, int n) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
    float[][] vectors = new float[n][];
    try (InputStream in = response.body();
        JsonParser p = json.createParser(in)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("data") && v == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            int index = -1;
            float[] vector = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              p.nextToken();
              if (f.equals("index")) {
                index = p.getIntValue();
              } else if (f.equals("embedding")) {
                byte[] bytes = p.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
                vector = new float[bytes.length / 4];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
              } else {
                p.skipChildren();
              }
            }
            vectors[index] = vector;
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.of(vectors);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
