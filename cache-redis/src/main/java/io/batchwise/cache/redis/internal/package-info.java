/**
 * The implementation of {@code io.batchwise.cache.redis}: the store and its connection settings.
 * Public types here exist for that package's use and carry no compatibility promise.
 */
package io.batchwise.cache.redis.internal;
