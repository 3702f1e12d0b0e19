/**
 * The {@code redis} cache ({@code batchwise-cache-redis}, on Lettuce): embeddings and memoized
 * results shared by every process and machine that uses one Redis server and key prefix. Choose it
 * with {@code cache=redis} ({@link io.batchwise.cache.redis.RedisCacheFactory}), open it as a store
 * with {@code ByteStores.open("redis", ...)}, or put Caffeine in front of it with {@code
 * cache=tiered} and {@code cache.back=redis}. Its options are in {@link
 * io.batchwise.cache.redis.RedisOptions}.
 */
package io.batchwise.cache.redis;
