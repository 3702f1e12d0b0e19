package io.batchwise.cache.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes concurrent requests for the same missing key share one computation.
 *
 * <p>{@link #claim} splits keys into those the caller now leads (nobody was computing them: the
 * caller must compute them and then {@link #land} or {@link #crash} each) and those it follows (it
 * may wait for their {@link Flight#result()}). A key is released when it lands or crashes, so the
 * next request for it starts afresh — by then the leader has stored the value, so that request
 * finds it.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class SingleFlight<K, V> {

  /** One computation in progress; its result is null when the leader produced no value. */
  static final class Flight<V> {
    private final CompletableFuture<V> result = new CompletableFuture<>();
    private final Thread leader = Thread.currentThread();

    CompletableFuture<V> result() {
      return result;
    }

    boolean ledBy(Thread thread) {
      return leader == thread;
    }
  }

  /**
   * The outcome of a claim.
   *
   * @param led the flights the caller leads, by key
   * @param followed other callers' flights, by key
   */
  record Claim<K, V>(Map<K, Flight<V>> led, Map<K, Flight<V>> followed) {}

  private final ConcurrentHashMap<K, Flight<V>> flights = new ConcurrentHashMap<>();

  Claim<K, V> claim(Collection<K> keys) {
    Map<K, Flight<V>> led = new LinkedHashMap<>();
    Map<K, Flight<V>> followed = new LinkedHashMap<>();
    Flight<V> spare = null;
    for (K key : keys) {
      if (spare == null) {
        spare = new Flight<>();
      }
      Flight<V> existing = flights.putIfAbsent(key, spare);
      if (existing == null) {
        led.put(key, spare);
        spare = null;
      } else {
        followed.put(key, existing);
      }
    }
    return new Claim<>(led, followed);
  }

  /** Completes a led flight with its value (null: none) and releases the key. */
  void land(K key, Flight<V> flight, V value) {
    flights.remove(key, flight);
    flight.result.complete(value);
  }

  /** Fails a led flight and releases the key. */
  void crash(K key, Flight<V> flight, Throwable failure) {
    flights.remove(key, flight);
    flight.result.completeExceptionally(failure);
  }

  /** Keys being computed now, for tests. */
  int inFlight() {
    return flights.size();
  }
}
