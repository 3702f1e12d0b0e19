package io.batchwise.cache.internal;

import io.batchwise.cache.CorruptValueException;
import io.batchwise.cache.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Java serialization behind an allow-list deserialization filter: {@code java.base}, the value
 * type's package and the packages given. See {@link ValueCodec#javaSerialization(Class,
 * String...)}.
 */
final class JavaSerializationCodec<V> implements ValueCodec<V> {
  /**
   * Deep enough for any reasonable value graph, shallow enough to stop a stack-exhaustion payload.
   */
  private static final int MAX_DEPTH = 100;

  /** Far above any value worth caching, far below what would exhaust the heap. */
  private static final long MAX_BYTES = 64L << 20;

  private final Class<V> type;
  private final List<String> packages;
  private final ObjectInputFilter filter;

  JavaSerializationCodec(Class<V> type, String... allowedPackages) {
    this.type = Objects.requireNonNull(type, "type");
    List<String> allowed = new ArrayList<>();
    allowed.add(packageOf(type));
    for (String p : allowedPackages) {
      if (p == null || p.isBlank() || !p.matches("[\\w$]+(\\.[\\w$]+)*")) {
        throw new IllegalArgumentException(
            "allowed package '" + p + "' must be a package name such as com.acme.model");
      }
      allowed.add(p);
    }
    this.packages = List.copyOf(allowed);
    this.filter = this::check;
  }

  private static String packageOf(Class<?> type) {
    Class<?> c = type;
    while (c.isArray()) {
      c = c.getComponentType();
    }
    return c.getPackageName();
  }

  private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
    if (info.depth() > MAX_DEPTH || info.streamBytes() > MAX_BYTES) {
      return ObjectInputFilter.Status.REJECTED;
    }
    Class<?> c = info.serialClass();
    if (c == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    while (c.isArray()) {
      c = c.getComponentType();
    }
    if (c.isPrimitive() || c.getModule() == Object.class.getModule()) {
      return ObjectInputFilter.Status.ALLOWED;
    }
    String pkg = c.getPackageName();
    for (String allowed : packages) {
      if (pkg.equals(allowed) || pkg.startsWith(allowed + ".")) {
        return ObjectInputFilter.Status.ALLOWED;
      }
    }
    return ObjectInputFilter.Status.REJECTED;
  }

  @Override
  public byte[] encode(V value) {
    if (!(value instanceof Serializable)) {
      throw new IllegalArgumentException(
          "a "
              + value.getClass().getName()
              + " cannot be cached with Java serialization: it is not"
              + " Serializable; make it Serializable or give the memoizer another ValueCodec");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(
          "a "
              + value.getClass().getName()
              + " cannot be cached with Java serialization: "
              + e.getMessage()
              + " is not Serializable; make it Serializable or give the memoizer"
              + " another ValueCodec",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "a " + value.getClass().getName() + " failed to serialize: " + e, e);
    }
    return bytes.toByteArray();
  }

  @Override
  public V decode(ByteBuffer payload) {
    byte[] bytes = new byte[payload.remaining()];
    payload.slice().get(bytes);
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(filter);
      Object value = in.readObject();
      if (!type.isInstance(value)) {
        throw new CorruptValueException(
            "expected a "
                + type.getName()
                + ", found a "
                + (value == null ? "null" : value.getClass().getName()));
      }
      return type.cast(value);
    } catch (IOException | ClassNotFoundException e) {
      throw new CorruptValueException(
          "not a readable serialized "
              + type.getName()
              + " (allowed packages: java.base, "
              + packages
              + "): "
              + e,
          e);
    }
  }

  @Override
  public String toString() {
    return "ValueCodec.javaSerialization(" + type.getName() + ", allowed " + packages + ")";
  }
}
