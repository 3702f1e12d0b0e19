package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The agent of one mapper run: sends a batch of items in one chat request with the run's
 * instruction and reads back one outcome per item, in batch order — its answer when the reply has
 * exactly one entry for the item's id that matches the schema, else why not ({@link
 * ItemOutcome.Retry}), so that the mapper asks again for that item alone and keeps the rest. A call
 * that fails as a whole (a status, a broken connection, a body that is not JSON) fails the batch
 * with a classified {@link io.batchwise.spi.CallFailedException} for the scheduler to retry; a
 * request the server refuses as longer than the model's context window is not retried as it is but
 * split ({@link ItemOutcome.Retry#splitTo()}). Thread-safe.
 */
final class ChatAgent implements Agent<ChatItem, ItemOutcome> {
  /** Characters of a rejected answer quoted in its problem. */
  private static final int QUOTED_CHARS = 200;

  /** What a run's requests did, added up. */
  static final class Tally {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong promptTokens = new AtomicLong();
    final AtomicLong completionTokens = new AtomicLong();
    final AtomicLong cachedTokens = new AtomicLong();
  }

  private final ChatService service;
  private final ChatPrompt prompt;
  private final AnswerSchema schema;
  private final Tally tally;
  private final BiConsumer<ChatItem, ItemOutcome.Answered> onAnswer;

  /**
   * @param service the endpoint
   * @param prompt the run's prompt
   * @param schema the run's answer schema
   * @param tally adds up the run's calls and tokens
   * @param onAnswer hears each accepted answer as soon as its request is read (the mapper stores it
   *     in the cache then, so that a run stopped part-way keeps it)
   */
  ChatAgent(
      ChatService service,
      ChatPrompt prompt,
      AnswerSchema schema,
      Tally tally,
      BiConsumer<ChatItem, ItemOutcome.Answered> onAnswer) {
    this.service = service;
    this.prompt = prompt;
    this.schema = schema;
    this.tally = tally;
    this.onAnswer = onAnswer;
  }

  @Override
  public CompletionStage<List<ItemOutcome>> process(Batch<ChatItem> batch) {
    List<ChatItem> items = batch.items();
    long reserved = prompt.fixedTokens();
    for (ChatItem item : items) {
      reserved += item.cost();
    }
    long reservation = reserved;
    tally.calls.incrementAndGet();
    CompletableFuture<ChatReply> sent = service.send(prompt, schema, items, batch::releaseSlot);
    CompletableFuture<List<ItemOutcome>> outcomes =
        sent.handle(
            (reply, failure) -> {
              if (failure == null) {
                return read(reply, items, reservation);
              }
              Throwable cause =
                  failure instanceof CompletionException && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              if (cause.getCause() instanceof ChatService.ContextWindowExceeded) {
                return split(items, cause.getMessage());
              }
              throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            });
    // a scheduler timeout cancels the stage it was given: let that stop the HTTP call too
    outcomes.whenComplete(
        (r, e) -> {
          if (e != null) {
            sent.cancel(true);
          }
        });
    return outcomes;
  }

  /**
   * Asks again in requests half as large; an item refused alone gets {@code splitTo} -1: it cannot
   * fit.
   */
  private List<ItemOutcome> split(List<ChatItem> items, String message) {
    int half = items.size() == 1 ? -1 : Math.max(1, items.size() / 2);
    List<ItemOutcome> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(new ItemOutcome.Retry(message, false, half));
    }
    return out;
  }

  private List<ItemOutcome> read(ChatReply reply, List<ChatItem> items, long reserved) {
    service.used(reserved, reply);
    tally.promptTokens.addAndGet(Math.max(0, reply.promptTokens()));
    tally.completionTokens.addAndGet(Math.max(0, reply.completionTokens()));
    tally.cachedTokens.addAndGet(Math.max(0, reply.cachedTokens()));
    ReplyParser.Parsed parsed = service.parser.parse(reply.content());
    List<ItemOutcome> out = new ArrayList<>(items.size());
    for (ChatItem item : items) {
      ItemOutcome outcome = outcome(item, parsed, reply, items.size());
      if (outcome instanceof ItemOutcome.Answered a) {
        onAnswer.accept(item, a);
      }
      out.add(outcome);
    }
    return out;
  }

  private ItemOutcome outcome(
      ChatItem item, ReplyParser.Parsed parsed, ChatReply reply, int batchSize) {
    List<JsonNode> answers = parsed.answers().get(Long.toString(item.id()));
    if (answers == null || answers.isEmpty()) {
      if (reply.cutOff()) {
        return new ItemOutcome.Retry(
            "the reply was cut off at its token limit before its answer ("
                + item.answerTokens()
                + " tokens were predicted for it)",
            true,
            0);
      }
      if (reply.refusal() != null) {
        return new ItemOutcome.Retry(reply.refusal(), false, 0);
      }
      if (parsed.problem() != null) {
        return new ItemOutcome.Retry(parsed.problem(), false, 0);
      }
      return new ItemOutcome.Retry(
          "the reply of a request of " + batchSize + " items had no answer with its id", false, 0);
    }
    if (answers.size() > 1) {
      return new ItemOutcome.Retry(
          "the reply answered its id " + answers.size() + " times", false, 0);
    }
    JsonNode answer = answers.get(0);
    String text;
    try {
      text = service.json.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      return new ItemOutcome.Retry(
          "its answer could not be written as JSON: " + e.getOriginalMessage(), false, 0);
    }
    String problems = schema.problems(answer);
    if (problems != null) {
      return new ItemOutcome.Retry(
          "its answer " + quote(text) + " does not match the schema: " + problems, false, 0);
    }
    return new ItemOutcome.Answered(text, service.tokenizer.count(text));
  }

  private static String quote(String text) {
    return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "…";
  }
}
