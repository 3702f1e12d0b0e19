package io.batchwise.internal.embed;

import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.EmbeddingProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Checks what a provider returned: one vector per text, each of the declared dimensions, all
 * finite. A provider that breaks this fails only that call's texts, with a message that names the
 * provider.
 */
final class ResultShapeInterceptor implements CallInterceptor {
  private final EmbeddingProvider provider;

  ResultShapeInterceptor(EmbeddingProvider provider) {
    this.provider = provider;
  }

  @Override
  public CompletableFuture<List<float[]>> intercept(Chain chain) {
    int expected = chain.texts().size();
    int dims = provider.modelInfo().dimensions();
    return chain
        .proceed(chain.texts())
        .thenApply(
            vectors -> {
              if (vectors == null || vectors.size() != expected) {
                throw CallFailedException.permanent(
                    "provider '"
                        + provider.id()
                        + "' returned "
                        + (vectors == null ? "null" : vectors.size() + " vectors")
                        + " for "
                        + expected
                        + " texts",
                    null);
              }
              for (int i = 0; i < expected; i++) {
                String problem = VectorShape.problem(vectors.get(i), dims);
                if (problem != null) {
                  throw CallFailedException.permanent(
                      "provider '"
                          + provider.id()
                          + "' returned "
                          + problem
                          + " for text "
                          + i
                          + " of the call",
                      null);
                }
              }
              return vectors;
            });
  }
}
