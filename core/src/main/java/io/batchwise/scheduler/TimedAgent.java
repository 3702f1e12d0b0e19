package io.batchwise.scheduler;

import io.batchwise.meters.MeterNames;
import io.batchwise.meters.OutcomeTimers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Times every batch of an agent into the shared registry: a {@link Timer} named as given, tagged
 * with {@link MeterNames#TAG_OUTCOME} {@code success} or {@code failure}, measured with the
 * registry's clock from the call to the stage's completion. The agent's answers pass through
 * unchanged. Thread-safe when the agent is.
 *
 * <pre>{@code
 * Agent<String, Summary> timed = TimedAgent.of(summarizer, batchwise.meterRegistry(), "app.summarize");
 * scheduler.submit(documents, timed, options);
 * }</pre>
 *
 * @param <I> the item type
 * @param <O> the output type
 */
public final class TimedAgent<I, O> implements Agent<I, O> {
  private final Agent<I, O> agent;
  private final OutcomeTimers timers;

  private TimedAgent(Agent<I, O> agent, OutcomeTimers timers) {
    this.agent = agent;
    this.timers = timers;
  }

  /**
   * Wraps an agent.
   *
   * @param agent the agent to time
   * @param registry where to record
   * @param name the timer's name, e.g. {@code app.summarize}
   * @param tags extra tags as key, value pairs
   * @param <I> the item type
   * @param <O> the output type
   * @return the timed agent
   * @throws IllegalArgumentException when the tags are not in pairs
   */
  public static <I, O> TimedAgent<I, O> of(
      Agent<I, O> agent, MeterRegistry registry, String name, String... tags) {
    Objects.requireNonNull(agent, "agent");
    return new TimedAgent<>(agent, OutcomeTimers.of(registry, name, tags));
  }

  /**
   * Calls the agent and records how long the batch took.
   *
   * @param batch the batch
   * @return the agent's stage, unchanged
   */
  @Override
  public CompletionStage<List<O>> process(Batch<I> batch) {
    Timer.Sample sample = timers.start();
    CompletionStage<List<O>> stage;
    try {
      stage = agent.process(batch);
    } catch (RuntimeException | Error e) {
      timers.stop(sample, false);
      throw e;
    }
    if (stage == null) {
      timers.stop(sample, false);
      return null;
    }
    return stage.whenComplete((outputs, error) -> timers.stop(sample, error == null));
  }

  @Override
  public String toString() {
    return "TimedAgent{" + timers.name() + ", " + agent + "}";
  }
}
