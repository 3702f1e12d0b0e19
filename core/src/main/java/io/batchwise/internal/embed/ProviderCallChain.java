package io.batchwise.internal.embed;

import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.EmbeddingProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs one provider call through the interceptor links, then the provider. Cancelling the future it
 * returns (a timeout, a stopped job) cancels the provider's own future, whatever the links derived
 * from it. Immutable; each call gets its own chain state.
 */
final class ProviderCallChain {
  /**
   * The order of the links, outermost first: the observation spans the whole call, metrics see
   * every call as the caller does (latency includes the shape check), and the shape check guards
   * everything after the provider.
   */
  static List<CallInterceptor> standardLinks(
      EmbeddingProvider provider,
      CallObservationInterceptor observation,
      CallMetricsInterceptor metrics) {
    return List.of(observation, metrics, new ResultShapeInterceptor(provider));
  }

  private final List<CallInterceptor> links;
  private final EmbeddingProvider provider;

  ProviderCallChain(List<CallInterceptor> links, EmbeddingProvider provider) {
    this.links = List.copyOf(links);
    this.provider = provider;
  }

  /**
   * Embeds one call's texts through the links.
   *
   * @param texts the call's texts
   * @param info the call's tokens, attempt and embed, for the links
   * @param context passed to the provider ({@link EmbeddingProvider#embed(List, CallContext)})
   * @return the vectors
   */
  CompletableFuture<List<float[]>> call(
      List<String> texts, CallInterceptor.CallInfo info, CallContext context) {
    AtomicReference<CompletableFuture<List<float[]>>> sent = new AtomicReference<>();
    CompletableFuture<List<float[]>> result =
        new Link(0, texts, info, context, sent).proceed(texts);
    // the links proceed before they return; a link that answered without the provider left it unset
    CompletableFuture<List<float[]>> providerCall = sent.get();
    return providerCall == null ? result : Cancellation.propagate(result, providerCall);
  }

  private final class Link implements CallInterceptor.Chain {
    private final int position;
    private final List<String> texts;
    private final CallInterceptor.CallInfo info;
    private final CallContext context;

    /** Receives the provider's own future, to cancel it. */
    private final AtomicReference<CompletableFuture<List<float[]>>> sent;

    private boolean proceeded;

    Link(
        int position,
        List<String> texts,
        CallInterceptor.CallInfo info,
        CallContext context,
        AtomicReference<CompletableFuture<List<float[]>>> sent) {
      this.position = position;
      this.texts = texts;
      this.info = info;
      this.context = context;
      this.sent = sent;
    }

    @Override
    public List<String> texts() {
      return texts;
    }

    @Override
    public CallInterceptor.CallInfo info() {
      return info;
    }

    @Override
    public CompletableFuture<List<float[]>> proceed(List<String> next) {
      if (proceeded) {
        String culprit = links.get(position - 1).getClass().getSimpleName();
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "interceptor " + culprit + " called proceed() more than once"));
      }
      proceeded = true;
      if (position < links.size()) {
        return guard(
            () -> links.get(position).intercept(new Link(position + 1, next, info, context, sent)));
      }
      CompletableFuture<List<float[]>> providerCall = guard(() -> provider.embed(next, context));
      sent.set(providerCall);
      return providerCall;
    }
  }

  private CompletableFuture<List<float[]>> guard(Supplier<CompletableFuture<List<float[]>>> step) {
    try {
      CompletableFuture<List<float[]>> f = step.get();
      if (f == null) {
        return CompletableFuture.failedFuture(
            CallFailedException.permanent(
                "provider '" + provider.id() + "' returned null instead of a future", null));
      }
      return f;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
