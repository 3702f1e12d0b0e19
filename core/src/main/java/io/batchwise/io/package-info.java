/**
 * Files written whole or not at all: {@link io.batchwise.io.AtomicFile}, which the vector index and
 * the command line's {@code --out} files are written through.
 */
package io.batchwise.io;
