package io.batchwise.examples.cli;

/**
 * One input text and where it came from.
 *
 * @param id the id given with the input (a JSONL id field, a file's path), or null for the default:
 *     the input's position
 * @param text the text
 * @param origin where it was read, for messages: {@code file:line}, or a file's path
 */
public record InputRecord(String id, String text, String origin) {}
