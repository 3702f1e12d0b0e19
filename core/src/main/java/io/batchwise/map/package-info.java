/**
 * Running an instruction over many items through a language model: {@link io.batchwise.map.Mapper}
 * ({@code bw.mapper()}), its per-item {@link io.batchwise.map.MapAnswer}s in input order, and what
 * a run did and cost ({@link io.batchwise.map.MapUsage}).
 *
 * <p>Core holds only this API; an implementation comes from a {@link
 * io.batchwise.map.MapperFactory} found by {@link ServiceLoader} and chosen with the {@code mapper}
 * option ({@code openai} in {@code batchwise-providers-openai}), the way {@code bw.embedder()} gets
 * its provider.
 */
package io.batchwise.map;

import java.util.ServiceLoader;
