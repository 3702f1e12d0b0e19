package io.batchwise.cache.sqlite.internal;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.spi.CacheMetrics;
import io.batchwise.cache.spi.GuardedByteStore;
import io.batchwise.cache.spi.StoreArguments;
import io.batchwise.cache.spi.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.sqlite.SQLiteConfig;

/**
 * A store in one SQLite file, shared safely by threads and by processes.
 *
 * <ul>
 *   <li>WAL journal: readers never block the writer or each other, across processes too;
 *   <li>one writer connection (writes are serialized in SQLite anyway), several reader connections;
 *   <li>writes are batched, {@value #WRITE_CHUNK} rows per {@code BEGIN IMMEDIATE} transaction, and
 *       wait up to {@code cache.sqlite.busy-timeout} for another process's lock;
 *   <li>the file is created {@code rw-------};
 *   <li>a {@code batchwise_schema} table records the schema version: a file written by a newer
 *       version is refused with a clear error rather than misread;
 *   <li>entries may expire: expired rows are never returned and are purged at most once a minute,
 *       counted as evictions.
 * </ul>
 *
 * <p>Errors are thrown as {@link StoreException}s naming the file and the operation; the {@link
 * GuardedByteStore} around this store turns them into misses.
 */
final class SqliteByteStore implements ByteStore {
  /** The schema this code reads and writes. */
  static final int SCHEMA_VERSION = 1;

  static final String TABLE = "batchwise_entries";

  /** SQLite allows 32,766 bound parameters; 500 keeps statements small and quick to prepare. */
  private static final int READ_CHUNK = 500;

  /**
   * Rows per transaction: large enough to amortize the commit, short enough not to starve another
   * process.
   */
  private static final int WRITE_CHUNK = 1000;

  /** Connections for concurrent lookups; more would not help on the small machines this runs on. */
  private static final int READERS = 2;

  private static final long PURGE_INTERVAL_MILLIS = 60_000;
  private static final String UPSERT =
      "INSERT INTO "
          + TABLE
          + "(key, value, expires_at) VALUES (?, ?, ?)"
          + " ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at";

  private final Path path;
  private final Duration defaultTtl;
  private final LongSupplier clock;
  private final CacheMetrics metrics;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Connection writer;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final List<Connection> all = new ArrayList<>();
  private volatile boolean closed;
  private long lastPurge;

  /**
   * Opens (creating if needed) the file.
   *
   * @param settings the file and its timeouts
   * @param clock milliseconds since the epoch, for expiry
   * @param metrics where purged rows are counted as evictions
   * @throws StoreException when the file cannot be opened or has a newer schema
   */
  SqliteByteStore(SqliteSettings settings, LongSupplier clock, CacheMetrics metrics) {
    this.path = settings.path().toAbsolutePath();
    this.defaultTtl = settings.ttl();
    this.clock = clock;
    this.metrics = metrics;
    DriverDateFormat.prepare(); // beside the native library's check and the file's creation
    PrivateFiles.createIfAbsent(path);
    try {
      writer = open(settings);
      all.add(writer);
      initSchema();
      for (int i = 0; i < READERS; i++) {
        Connection reader = open(settings);
        all.add(reader);
        readers.add(reader);
      }
    } catch (SQLException | RuntimeException e) {
      closeAll();
      throw new StoreException("cannot open the SQLite cache " + path + ": " + e.getMessage(), e);
    }
    lastPurge = clock.getAsLong();
  }

  /**
   * Opens a connection in auto-commit mode. Transactions are begun explicitly with {@code BEGIN
   * IMMEDIATE} (see {@link #inTransaction}): the driver's own non-auto-commit mode begins the next
   * transaction as soon as one commits, which would hold the write lock between writes and starve
   * other processes.
   */
  private Connection open(SqliteSettings settings) throws SQLException {
    SqliteNativeLibrary.keep();
    DriverDateFormat.await();
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) settings.busyTimeout().toMillis());
    Connection c = config.createConnection("jdbc:sqlite:" + path);
    try (Statement s = c.createStatement()) {
      // journal_mode is persistent in the file; setting it again is a no-op once WAL
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
    }
    return c;
  }

  private void initSchema() throws SQLException {
    // one IMMEDIATE transaction: two processes creating the file at once take turns
    inTransaction(
        () -> {
          try (Statement s = writer.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS batchwise_schema (version INTEGER NOT NULL)");
            Integer version = null;
            try (ResultSet rs = s.executeQuery("SELECT max(version) FROM batchwise_schema")) {
              if (rs.next()) {
                int v = rs.getInt(1);
                version = rs.wasNull() ? null : v;
              }
            }
            if (version != null && version > SCHEMA_VERSION) {
              throw new SQLException(
                  "the file has schema version "
                      + version
                      + " but this Batchwise reads version "
                      + SCHEMA_VERSION
                      + "; use a newer Batchwise or another cache.path");
            }
            s.execute(
                "CREATE TABLE IF NOT EXISTS "
                    + TABLE
                    + " (key TEXT PRIMARY KEY NOT NULL,"
                    + " value BLOB NOT NULL, expires_at INTEGER) WITHOUT ROWID");
            s.execute(
                "CREATE INDEX IF NOT EXISTS "
                    + TABLE
                    + "_expiry ON "
                    + TABLE
                    + "(expires_at) WHERE expires_at IS NOT NULL");
            if (version == null) {
              s.execute("INSERT INTO batchwise_schema(version) VALUES (" + SCHEMA_VERSION + ")");
            }
          }
        });
  }

  /** Runs {@code action} in a {@code BEGIN IMMEDIATE} transaction on the writer connection. */
  private void inTransaction(SqlAction action) throws SQLException {
    try (Statement s = writer.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
    try {
      action.run();
      try (Statement s = writer.createStatement()) {
        s.execute("COMMIT");
      }
    } catch (SQLException | RuntimeException e) {
      try (Statement s = writer.createStatement()) {
        s.execute("ROLLBACK");
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public String id() {
    return "sqlite";
  }

  /** The database file. */
  Path path() {
    return path;
  }

  @Override
  public Map<String, byte[]> getAll(Collection<String> keys) {
    Map<String, byte[]> found = new HashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    long now = clock.getAsLong();
    Connection c = borrow();
    try {
      for (List<String> chunk : chunks(keys, READ_CHUNK)) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT key, value FROM "
                    + TABLE
                    + " WHERE key IN ("
                    + placeholders(chunk.size())
                    + ") AND (expires_at IS NULL OR expires_at > ?)")) {
          int i = 1;
          for (String key : chunk) {
            ps.setString(i++, key);
          }
          ps.setLong(i, now);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found.put(rs.getString(1), rs.getBytes(2));
            }
          }
        }
      }
      return found;
    } catch (SQLException e) {
      throw failure("lookup of " + keys.size() + " keys", e);
    } finally {
      release(c);
    }
  }

  @Override
  public void putAll(Map<String, byte[]> entries, Duration ttl) {
    if (ttl != null) {
      StoreArguments.requirePositiveTtl(ttl);
    }
    if (entries.isEmpty()) {
      return;
    }
    Duration lifetime = ttl != null ? ttl : defaultTtl;
    writeLock.lock();
    try {
      ensureOpen();
      long now = clock.getAsLong();
      Long expiresAt = lifetime == null ? null : saturatedAdd(now, lifetime.toMillis());
      List<Map.Entry<String, byte[]>> all = new ArrayList<>(entries.entrySet());
      for (int from = 0; from < all.size(); from += WRITE_CHUNK) {
        List<Map.Entry<String, byte[]>> chunk =
            all.subList(from, Math.min(all.size(), from + WRITE_CHUNK));
        inTransaction(
            () -> {
              try (PreparedStatement ps = writer.prepareStatement(UPSERT)) {
                for (Map.Entry<String, byte[]> e : chunk) {
                  ps.setString(1, e.getKey());
                  ps.setBytes(2, e.getValue());
                  if (expiresAt == null) {
                    ps.setNull(3, Types.INTEGER);
                  } else {
                    ps.setLong(3, expiresAt);
                  }
                  ps.addBatch();
                }
                ps.executeBatch();
              }
            });
      }
      purgeExpired(now);
    } catch (SQLException e) {
      throw failure("store of " + entries.size() + " values", e);
    } finally {
      writeLock.unlock();
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private void purgeExpired(long now) throws SQLException {
    if (now - lastPurge < PURGE_INTERVAL_MILLIS) {
      return;
    }
    lastPurge = now;
    try (PreparedStatement ps =
        writer.prepareStatement("DELETE FROM " + TABLE + " WHERE expires_at <= ?")) {
      ps.setLong(1, now);
      metrics.evictions(ps.executeUpdate()); // one statement: its own transaction
    }
  }

  @Override
  public void delete(Collection<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    write(
        "delete of " + keys.size() + " keys",
        () -> {
          for (List<String> chunk : chunks(keys, READ_CHUNK)) {
            try (PreparedStatement ps =
                writer.prepareStatement(
                    "DELETE FROM "
                        + TABLE
                        + " WHERE key IN ("
                        + placeholders(chunk.size())
                        + ")")) {
              int i = 1;
              for (String key : chunk) {
                ps.setString(i++, key);
              }
              ps.executeUpdate();
            }
          }
        });
  }

  @Override
  public void deleteByPrefix(String prefix) {
    StoreArguments.requireKeyPrefix(prefix);
    char last = prefix.charAt(prefix.length() - 1);
    write(
        "delete by prefix",
        () -> {
          if (last < 0x7f) {
            // a range over the primary key: [prefix, prefix with its last character incremented)
            String upper = prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
            try (PreparedStatement ps =
                writer.prepareStatement("DELETE FROM " + TABLE + " WHERE key >= ? AND key < ?")) {
              ps.setString(1, prefix);
              ps.setString(2, upper);
              ps.executeUpdate();
            }
          } else {
            try (PreparedStatement ps =
                writer.prepareStatement("DELETE FROM " + TABLE + " WHERE substr(key, 1, ?) = ?")) {
              ps.setInt(1, prefix.length());
              ps.setString(2, prefix);
              ps.executeUpdate();
            }
          }
        });
  }

  @Override
  public void clear() {
    write(
        "clear",
        () -> {
          try (Statement s = writer.createStatement()) {
            s.executeUpdate("DELETE FROM " + TABLE);
          }
        });
  }

  /** A statement run on the writer connection. */
  @FunctionalInterface
  private interface SqlAction {
    void run() throws SQLException;
  }

  private void write(String what, SqlAction action) {
    writeLock.lock();
    try {
      ensureOpen();
      inTransaction(action);
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      writeLock.unlock();
    }
  }

  private StoreException failure(String what, SQLException e) {
    return new StoreException(
        "SQLite cache " + path + ": " + what + " failed: " + e.getMessage(), e);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the SQLite cache " + path + " is closed");
    }
  }

  private Connection borrow() {
    try {
      while (true) {
        ensureOpen();
        Connection c = readers.poll(100, TimeUnit.MILLISECONDS);
        if (c != null) {
          return c;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a connection to " + path, e);
    }
  }

  private void release(Connection c) {
    readers.add(c);
  }

  private static String placeholders(int n) {
    StringBuilder b = new StringBuilder(n * 2);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "?" : ",?");
    }
    return b.toString();
  }

  private static List<List<String>> chunks(Collection<String> keys, int size) {
    List<List<String>> chunks = new ArrayList<>();
    List<String> current = new ArrayList<>(Math.min(size, keys.size()));
    Iterator<String> it = new LinkedHashSet<>(keys).iterator();
    while (it.hasNext()) {
      current.add(it.next());
      if (current.size() == size) {
        chunks.add(current);
        current = new ArrayList<>(size);
      }
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      // wait for borrowed readers to come back, so none is closed under a running query
      for (int i = 0; i < READERS; i++) {
        readers.take();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeAll();
      writeLock.unlock();
    }
  }

  private void closeAll() {
    for (Connection c : all) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing; nothing left to do with it
      }
    }
  }

  @Override
  public String toString() {
    return "SqliteByteStore{" + path + "}";
  }
}
