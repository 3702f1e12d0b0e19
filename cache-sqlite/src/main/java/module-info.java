/**
 * The {@code sqlite} cache: vectors in a SQLite file on disk.
 *
 * <p>Exports only {@link io.batchwise.cache.sqlite}.
 */
module io.batchwise.cache.sqlite {
  requires transitive io.batchwise.cache;
  requires java.sql;
  requires org.xerial.sqlitejdbc;
  requires org.slf4j;

  exports io.batchwise.cache.sqlite;

  provides io.batchwise.spi.CacheFactory with
      io.batchwise.cache.sqlite.SqliteCacheFactory;
}
