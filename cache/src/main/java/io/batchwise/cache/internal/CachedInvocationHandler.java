package io.batchwise.cache.internal;

import io.batchwise.cache.Cached;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Dispatches a memoizing proxy's calls: {@link Cached} methods through their {@link Memo}, the
 * others straight to the target. Exceptions thrown by the target reach the caller unwrapped.
 */
final class CachedInvocationHandler implements InvocationHandler {
  private final Object target;
  private final Map<Method, Memo<Object>> memos;
  private final Map<Method, Method> callable;
  private final String description;

  CachedInvocationHandler(
      Class<?> type, Object target, Map<Method, Memo<Object>> memos, String description) {
    this.target = target;
    this.memos = Map.copyOf(memos);
    this.description = description;
    // our own accessible copies: the interface may be package-private in another package
    Map<Method, Method> copies = new HashMap<>();
    for (Method m : type.getMethods()) {
      try {
        m.setAccessible(true);
      } catch (RuntimeException e) {
        // a named module that does not open the package: public interfaces still work
      }
      copies.put(m, m);
    }
    this.callable = Map.copyOf(copies);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return description;
        default:
          return call(method, args);
      }
    }
    Memo<Object> memo = memos.get(method);
    if (memo == null) {
      return call(method, args);
    }
    if (CompletionStage.class.isAssignableFrom(method.getReturnType())) {
      CompletableFuture<Object> result =
          memo.getAsync(
              args,
              () -> {
                Object stage = call(method, args);
                return stage == null
                    ? null
                    : ((CompletionStage<Object>) stage).toCompletableFuture();
              });
      return result;
    }
    return memo.get(args, () -> call(method, args));
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return callable.getOrDefault(method, method).invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
