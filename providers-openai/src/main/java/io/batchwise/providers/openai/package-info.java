/**
 * The {@code openai} embedding provider for any OpenAI-compatible embeddings API, and tiktoken
 * tokenizers backed by JTokkit.
 *
 * <p>Public: {@link io.batchwise.providers.openai.OpenAiProviderFactory} and {@link
 * io.batchwise.providers.openai.JtokkitTokenizerFactory} (found by {@link ServiceLoader}), and the
 * hooks the embed pipeline uses to run a remote provider well: {@link
 * io.batchwise.providers.openai.RemoteEmbeddingProvider} and {@link
 * io.batchwise.providers.openai.RateLimitState}. Everything else is in {@code internal}.
 */
package io.batchwise.providers.openai;

import java.util.ServiceLoader;
