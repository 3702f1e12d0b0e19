/**
 * The implementation of {@code io.batchwise.cache.sqlite}: the store, its settings and its file.
 * Public types here exist for that package's use and carry no compatibility promise.
 */
package io.batchwise.cache.sqlite.internal;
