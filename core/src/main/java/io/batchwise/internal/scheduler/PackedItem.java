package io.batchwise.internal.scheduler;

/**
 * One item read from a job's source, measured once.
 *
 * @param index its position in the job's input (pieces of a split item share it)
 * @param slot its position in the job's results, one per result
 * @param item the item, or one piece of it
 * @param tokens its token count
 * @param bytes its estimated bytes in flight
 * @param <I> the item type
 */
record PackedItem<I>(long index, long slot, I item, long tokens, long bytes) {}
