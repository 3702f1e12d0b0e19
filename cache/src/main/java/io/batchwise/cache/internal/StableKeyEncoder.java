package io.batchwise.cache.internal;

import io.batchwise.cache.StableKey;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The canonical encoding of memoized functions' arguments, and its SHA-256.
 *
 * <p>Each value is written as a one-byte type tag followed by its content, so values of different
 * types never collide ({@code 1} vs {@code 1L} vs {@code "1"}):
 *
 * <ul>
 *   <li>{@code null}; {@link String} (UTF-8, length-prefixed); boxed primitives (big-endian; floats
 *       and doubles by their bits, all NaNs as one); {@link BigInteger}; {@link BigDecimal}
 *       (unscaled value and scale, so {@code 1.0} and {@code 1.00} differ, as by {@code equals});
 *   <li>enums (class and constant name); {@link UUID}; {@link URI}; {@code java.time} values (class
 *       and ISO text); {@link Optional};
 *   <li>arrays of primitives and of objects, and {@link List}s, element by element in order; {@link
 *       Set}s and {@link Map}s with their elements (entries) sorted by their encoding, so iteration
 *       order does not matter;
 *   <li>records, component by component, with the record's class name;
 *   <li>{@link StableKey}s, by class name and {@link StableKey#stableKey()}.
 * </ul>
 *
 * <p>Anything else (a plain object whose identity, hash code or {@code toString} may differ from
 * run to run) is refused with an {@link IllegalArgumentException} naming the argument, its type and
 * the fix. The encoding starts with a version byte, so changing it later cannot alias old keys.
 * Nesting is limited to {@value #MAX_DEPTH} levels, which also stops cycles.
 */
final class StableKeyEncoder {
  static final byte VERSION = 1;
  private static final int MAX_DEPTH = 32;

  private StableKeyEncoder() {}

  /**
   * The lowercase hex SHA-256 of the encoding of {@code args}.
   *
   * @param args the arguments
   * @param where how errors name the call, e.g. {@code Summarizer.summarize(String,int)}
   * @return 64 hex characters
   * @throws IllegalArgumentException when an argument has no stable representation
   */
  static String hash(Object[] args, String where) {
    return sha256Hex(encode(args, where));
  }

  static byte[] encode(Object[] args, String where) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.writeByte(VERSION);
      Object[] a = args == null ? new Object[0] : args;
      out.writeInt(a.length);
      for (int i = 0; i < a.length; i++) {
        write(out, a[i], where, "argument " + i, 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return bytes.toByteArray();
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(DataOutputStream out, Object v, String where, String path, int depth)
      throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          where
              + ": "
              + path
              + " is nested deeper than "
              + MAX_DEPTH
              + " levels (a cycle?); it has"
              + " no stable cache key");
    }
    if (v == null) {
      out.writeByte('N');
    } else if (v instanceof StableKey) {
      out.writeByte('K');
      string(out, v.getClass().getName());
      String key = ((StableKey) v).stableKey();
      if (key == null) {
        throw new IllegalArgumentException(
            where + ": " + path + " (" + v.getClass().getName() + ") returned a null stableKey()");
      }
      string(out, key);
    } else if (v instanceof String) {
      out.writeByte('S');
      string(out, (String) v);
    } else if (v instanceof Integer) {
      out.writeByte('I');
      out.writeInt((Integer) v);
    } else if (v instanceof Long) {
      out.writeByte('J');
      out.writeLong((Long) v);
    } else if (v instanceof Boolean) {
      out.writeByte('Z');
      out.writeBoolean((Boolean) v);
    } else if (v instanceof Double) {
      out.writeByte('D');
      out.writeLong(Double.doubleToLongBits((Double) v));
    } else if (v instanceof Float) {
      out.writeByte('F');
      out.writeInt(Float.floatToIntBits((Float) v));
    } else if (v instanceof Short) {
      out.writeByte('H');
      out.writeShort((Short) v);
    } else if (v instanceof Byte) {
      out.writeByte('B');
      out.writeByte((Byte) v);
    } else if (v instanceof Character) {
      out.writeByte('C');
      out.writeChar((Character) v);
    } else if (v instanceof BigInteger) {
      out.writeByte('i');
      bytes(out, ((BigInteger) v).toByteArray());
    } else if (v instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) v;
      out.writeByte('d');
      bytes(out, d.unscaledValue().toByteArray());
      out.writeInt(d.scale());
    } else if (v instanceof Enum) {
      Enum<?> e = (Enum<?>) v;
      out.writeByte('E');
      string(out, e.getDeclaringClass().getName());
      string(out, e.name());
    } else if (v instanceof UUID) {
      out.writeByte('U');
      out.writeLong(((UUID) v).getMostSignificantBits());
      out.writeLong(((UUID) v).getLeastSignificantBits());
    } else if (v instanceof URI) {
      out.writeByte('R');
      string(out, v.toString());
    } else if (v instanceof TemporalAccessor && v.getClass().getName().startsWith("java.time.")) {
      out.writeByte('T');
      string(out, v.getClass().getName());
      string(out, v.toString());
    } else if (v instanceof java.time.Duration || v instanceof java.time.Period) {
      out.writeByte('T');
      string(out, v.getClass().getName());
      string(out, v.toString());
    } else if (v instanceof Optional) {
      Optional<?> o = (Optional<?>) v;
      out.writeByte('O');
      out.writeBoolean(o.isPresent());
      if (o.isPresent()) {
        write(out, o.get(), where, path + ".get()", depth + 1);
      }
    } else if (v.getClass().isArray()) {
      array(out, v, where, path, depth);
    } else if (v instanceof List) {
      List<?> list = (List<?>) v;
      out.writeByte('L');
      out.writeInt(list.size());
      int i = 0;
      for (Object e : list) {
        write(out, e, where, path + "[" + i++ + "]", depth + 1);
      }
    } else if (v instanceof Set) {
      out.writeByte('W');
      sorted(out, (Set<?>) v, where, path, depth);
    } else if (v instanceof Map) {
      out.writeByte('M');
      List<byte[]> entries = new ArrayList<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        write(o, e.getKey(), where, path + ".key", depth + 1);
        write(o, e.getValue(), where, path + ".value", depth + 1);
        entries.add(b.toByteArray());
      }
      sortedBytes(out, entries);
    } else if (v instanceof Record) {
      record(out, (Record) v, where, path, depth);
    } else {
      throw new IllegalArgumentException(
          where
              + ": "
              + path
              + " is a "
              + v.getClass().getName()
              + ", which has no stable cache key"
              + " (its hash code and toString may differ between runs). Pass strings, numbers,"
              + " enums, java.time values, records, lists, sets, maps or arrays of those, or make it"
              + " implement io.batchwise.cache.StableKey");
    }
  }

  private static void record(DataOutputStream out, Record r, String where, String path, int depth)
      throws IOException {
    out.writeByte('P');
    string(out, r.getClass().getName());
    RecordComponent[] components = r.getClass().getRecordComponents();
    out.writeInt(components.length);
    for (RecordComponent c : components) {
      Object value;
      try {
        Method accessor = c.getAccessor();
        accessor.setAccessible(true);
        value = accessor.invoke(r);
      } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
        throw new IllegalArgumentException(
            where
                + ": cannot read component "
                + c.getName()
                + " of "
                + path
                + " ("
                + r.getClass().getName()
                + ") for its cache key: "
                + e,
            e);
      }
      write(out, value, where, path + "." + c.getName(), depth + 1);
    }
  }

  private static void sorted(DataOutputStream out, Set<?> set, String where, String path, int depth)
      throws IOException {
    List<byte[]> elements = new ArrayList<>(set.size());
    for (Object e : set) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      write(new DataOutputStream(b), e, where, path + "{element}", depth + 1);
      elements.add(b.toByteArray());
    }
    sortedBytes(out, elements);
  }

  private static void sortedBytes(DataOutputStream out, List<byte[]> parts) throws IOException {
    parts.sort(Arrays::compareUnsigned);
    out.writeInt(parts.size());
    for (byte[] p : parts) {
      out.write(p);
    }
  }

  private static void array(DataOutputStream out, Object v, String where, String path, int depth)
      throws IOException {
    out.writeByte('A');
    Class<?> component = v.getClass().getComponentType();
    string(out, component.isPrimitive() ? component.getName() : "object");
    if (v instanceof byte[]) {
      bytes(out, (byte[]) v);
    } else if (v instanceof int[]) {
      int[] a = (int[]) v;
      out.writeInt(a.length);
      for (int x : a) {
        out.writeInt(x);
      }
    } else if (v instanceof long[]) {
      long[] a = (long[]) v;
      out.writeInt(a.length);
      for (long x : a) {
        out.writeLong(x);
      }
    } else if (v instanceof float[]) {
      float[] a = (float[]) v;
      out.writeInt(a.length);
      for (float x : a) {
        out.writeInt(Float.floatToIntBits(x));
      }
    } else if (v instanceof double[]) {
      double[] a = (double[]) v;
      out.writeInt(a.length);
      for (double x : a) {
        out.writeLong(Double.doubleToLongBits(x));
      }
    } else if (v instanceof short[]) {
      short[] a = (short[]) v;
      out.writeInt(a.length);
      for (short x : a) {
        out.writeShort(x);
      }
    } else if (v instanceof char[]) {
      char[] a = (char[]) v;
      out.writeInt(a.length);
      for (char x : a) {
        out.writeChar(x);
      }
    } else if (v instanceof boolean[]) {
      boolean[] a = (boolean[]) v;
      out.writeInt(a.length);
      for (boolean x : a) {
        out.writeBoolean(x);
      }
    } else {
      Object[] a = (Object[]) v;
      out.writeInt(a.length);
      for (int i = 0; i < a.length; i++) {
        write(out, a[i], where, path + "[" + i + "]", depth + 1);
      }
    }
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    bytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }
}
