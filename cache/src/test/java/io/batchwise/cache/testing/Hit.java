package io.batchwise.cache.testing;

import java.io.Serializable;

/**
 * A search hit, the value a {@link Search} returns.
 *
 * @param id the document
 * @param score its score
 */
public record Hit(String id, double score) implements Serializable {}
