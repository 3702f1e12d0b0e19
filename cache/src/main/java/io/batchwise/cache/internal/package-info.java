/**
 * The implementation of {@code io.batchwise.cache}: in-memory and tiered stores, codecs, views and
 * the memoizer's machinery. Public types here exist for the public package's use and carry no
 * compatibility promise.
 */
package io.batchwise.cache.internal;
