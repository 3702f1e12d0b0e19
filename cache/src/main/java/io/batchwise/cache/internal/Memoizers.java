package io.batchwise.cache.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.AsyncMemoizedFunction;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.Cached;
import io.batchwise.cache.MemoizedFunction;
import io.batchwise.cache.Memoizer;
import io.batchwise.cache.ValueCodec;
import io.batchwise.config.Durations;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Builds memoized functions and {@link Cached} proxies for {@link Memoizer}. Not an API. */
public final class Memoizers {
  private Memoizers() {}

  /**
   * Guards a store that is not one of this module's (whose failures would otherwise reach callers).
   *
   * @param store the store
   * @param registry where its errors are counted
   * @return the store itself when already guarded or in memory, else a guarded wrapper
   */
  public static ByteStore guard(ByteStore store, MeterRegistry registry) {
    return Stores.guardIfForeign(store, registry);
  }

  /**
   * See {@link Memoizer#memoize(String, Function, ValueCodec, Duration, long)}.
   *
   * @param name the identity
   * @param function the function
   * @param store the backend or null
   * @param codec the codec
   * @param ttl the ttl or null
   * @param maxSize the in-memory bound, 0 for none
   * @param registry the registry
   * @param ticker the in-memory clock
   * @param <K> the argument type
   * @param <V> the result type
   * @return the memoized function
   */
  public static <K, V> MemoizedFunction<K, V> function(
      String name,
      Function<K, V> function,
      ByteStore store,
      ValueCodec<V> codec,
      Duration ttl,
      long maxSize,
      MeterRegistry registry,
      Ticker ticker) {
    Memo<V> memo =
        Memo.create(requireName(name), name, name, store, codec, ttl, maxSize, registry, ticker);
    return new MemoizedFunction<>() {
      @Override
      public V apply(K key) {
        try {
          return memo.get(new Object[] {key}, () -> function.apply(key));
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Throwable t) {
          throw new UndeclaredThrowableException(t); // a Function cannot throw a checked exception
        }
      }

      @Override
      public void invalidate(K key) {
        memo.invalidate(new Object[] {key});
      }

      @Override
      public void invalidateAll() {
        memo.invalidateAll();
      }

      @Override
      public String toString() {
        return "MemoizedFunction{" + name + "}";
      }
    };
  }

  /**
   * See {@link Memoizer#memoizeAsync}.
   *
   * @param name the identity
   * @param function the function
   * @param store the backend or null
   * @param codec the codec
   * @param ttl the ttl or null
   * @param maxSize the in-memory bound, 0 for none
   * @param registry the registry
   * @param ticker the in-memory clock
   * @param <K> the argument type
   * @param <V> the result type
   * @return the memoized function
   */
  public static <K, V> AsyncMemoizedFunction<K, V> asyncFunction(
      String name,
      Function<K, CompletableFuture<V>> function,
      ByteStore store,
      ValueCodec<V> codec,
      Duration ttl,
      long maxSize,
      MeterRegistry registry,
      Ticker ticker) {
    Memo<V> memo =
        Memo.create(requireName(name), name, name, store, codec, ttl, maxSize, registry, ticker);
    return new AsyncMemoizedFunction<>() {
      @Override
      public CompletableFuture<V> apply(K key) {
        return memo.getAsync(new Object[] {key}, () -> function.apply(key));
      }

      @Override
      public void invalidate(K key) {
        memo.invalidate(new Object[] {key});
      }

      @Override
      public void invalidateAll() {
        memo.invalidateAll();
      }

      @Override
      public String toString() {
        return "AsyncMemoizedFunction{" + name + "}";
      }
    };
  }

  private static String requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "a memoized function needs a name: it is the identity under which results are shared");
    }
    return name;
  }

  /**
   * See {@link Memoizer#proxy(Class, Object)}.
   *
   * @param type the interface
   * @param target the implementation
   * @param store the backend or null
   * @param allowedPackages extra packages for the default codec
   * @param registry the registry
   * @param ticker the in-memory clock
   * @param <T> the interface type
   * @return the proxy
   */
  public static <T> T proxy(
      Class<T> type,
      T target,
      ByteStore store,
      List<String> allowedPackages,
      MeterRegistry registry,
      Ticker ticker) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(target, "target");
    if (!type.isInterface()) {
      throw new IllegalArgumentException(
          type.getName()
              + " is not an interface; @Cached works on interface methods (dynamic"
              + " proxies); memoize a class's method with Memoizer.memoize instead");
    }
    if (!type.isInstance(target)) {
      throw new IllegalArgumentException(
          "the target " + target.getClass().getName() + " does not implement " + type.getName());
    }
    Map<Method, Memo<Object>> memos = new HashMap<>();
    for (Method m : type.getMethods()) {
      Cached cached = m.getAnnotation(Cached.class);
      if (cached != null) {
        memos.put(m, memo(type, m, cached, store, allowedPackages, registry, ticker));
      }
    }
    if (memos.isEmpty()) {
      throw new IllegalArgumentException(
          type.getName() + " has no @Cached method, so a memoizing proxy would cache nothing");
    }
    Object proxy =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            new CachedInvocationHandler(
                type, target, memos, "Memoized(" + type.getSimpleName() + ": " + target + ")"));
    return type.cast(proxy);
  }

  private static Memo<Object> memo(
      Class<?> type,
      Method m,
      Cached cached,
      ByteStore store,
      List<String> allowedPackages,
      MeterRegistry registry,
      Ticker ticker) {
    String where =
        type.getSimpleName()
            + "."
            + m.getName()
            + "("
            + Stream.of(m.getParameterTypes())
                .map(Class::getSimpleName)
                .collect(Collectors.joining(","))
            + ")";
    if (m.getReturnType() == void.class) {
      throw new IllegalArgumentException(
          where + " is @Cached but returns void: there is no result to cache");
    }
    Duration ttl = cached.ttl().isBlank() ? null : ttl(cached.ttl(), where);
    if (cached.maxSize() < -1) {
      throw new IllegalArgumentException(
          where
              + ": @Cached(maxSize) must be -1 (default), 0 (none) or positive, was "
              + cached.maxSize());
    }
    long maxSize = cached.maxSize() == -1 ? Memoizer.DEFAULT_MAX_SIZE : cached.maxSize();
    boolean async = CompletionStage.class.isAssignableFrom(m.getReturnType());
    Class<?> valueType = async ? futureValueType(m) : box(m.getReturnType());
    List<String> packages = new ArrayList<>(allowedPackages);
    packages.add(type.getPackageName());
    @SuppressWarnings("unchecked")
    ValueCodec<Object> codec =
        (ValueCodec<Object>) Codecs.javaSerializationOf(valueType, packages.toArray(new String[0]));
    String identity = cached.name().isBlank() ? signature(type, m) : cached.name();
    String name =
        cached.name().isBlank() ? type.getSimpleName() + "." + m.getName() : cached.name();
    return Memo.create(identity, name, where, store, codec, ttl, maxSize, registry, ticker);
  }

  /** {@code com.acme.Api#find(java.lang.String,int)List}: stable across runs and JVMs. */
  static String signature(Class<?> type, Method m) {
    return type.getName()
        + "#"
        + m.getName()
        + "("
        + Stream.of(m.getParameterTypes()).map(Class::getTypeName).collect(Collectors.joining(","))
        + ")"
        + m.getGenericReturnType().getTypeName();
  }

  private static Class<?> futureValueType(Method m) {
    Type t = m.getGenericReturnType();
    if (t instanceof ParameterizedType) {
      Type arg = ((ParameterizedType) t).getActualTypeArguments()[0];
      if (arg instanceof Class) {
        return (Class<?>) arg;
      }
      if (arg instanceof ParameterizedType) {
        return (Class<?>) ((ParameterizedType) arg).getRawType();
      }
    }
    return Object.class;
  }

  private static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    Map<Class<?>, Class<?>> boxes =
        Map.of(
            int.class,
            Integer.class,
            long.class,
            Long.class,
            double.class,
            Double.class,
            float.class,
            Float.class,
            boolean.class,
            Boolean.class,
            short.class,
            Short.class,
            byte.class,
            Byte.class,
            char.class,
            Character.class);
    return boxes.get(c);
  }

  /** Reads {@code @Cached(ttl)}; Memo checks that it is positive. */
  private static Duration ttl(String text, String where) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " @Cached(ttl): " + e.getMessage(), e);
    }
  }
}
