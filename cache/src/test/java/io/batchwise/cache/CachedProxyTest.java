package io.batchwise.cache;

import static io.batchwise.cache.testing.TestContexts.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.cache.testing.CountingSearch;
import io.batchwise.cache.testing.FakeTicker;
import io.batchwise.cache.testing.Hit;
import io.batchwise.cache.testing.Search;
import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedProxyTest {
  @TempDir Path dir;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FakeTicker ticker = new FakeTicker();

  private Memoizer memory() {
    return Memoizer.builder().meterRegistry(registry).ticker(ticker).build();
  }

  @Test
  void cachedMethodsAreComputedOncePerArgumentsAndOverloadsAreSeparate() throws Exception {
    CountingSearch target = new CountingSearch();
    Search s = memory().proxy(Search.class, target);
    assertThat(s.search("q", 5)).containsExactly(new Hit("q#5", 0.5));
    assertThat(s.search("q", 5)).containsExactly(new Hit("q#5", 0.5));
    assertThat(s.search("q", 6)).containsExactly(new Hit("q#6", 0.5));
    assertThat(s.search("q")).isEqualTo("one:q");
    assertThat(s.search("q")).isEqualTo("one:q");
    assertThat(target.calls).hasValue(3);
    assertThat(count(registry, MeterNames.CACHE_HITS, MeterNames.TAG_CACHE, "memo:Search.search"))
        .as("both overloads report under the method's name")
        .isEqualTo(2);
  }

  @Test
  void uncachedMethodsAndObjectMethodsGoStraightThrough() {
    CountingSearch target = new CountingSearch();
    Search s = memory().proxy(Search.class, target);
    s.uncached("a");
    s.uncached("a");
    assertThat(target.calls).hasValue(2);
    assertThat(s.toString()).contains("Search", "CountingSearch");
    assertThat(s).isEqualTo(s).isNotEqualTo(memory().proxy(Search.class, target));
    assertThat(s.hashCode()).isEqualTo(System.identityHashCode(s));
  }

  @Test
  void aCachedDefaultMethodIsMemoized() {
    CountingSearch target = new CountingSearch();
    Search s = memory().proxy(Search.class, target);
    assertThat(s.length("abc")).isEqualTo(103);
    assertThat(s.length("abc")).isEqualTo(103);
    assertThat(target.calls).as("offset() called once, by the one computation").hasValue(1);
  }

  @Test
  void theAnnotationsTtlApplies() throws Exception {
    CountingSearch target = new CountingSearch();
    Search s = memory().proxy(Search.class, target);
    s.search("t", 1);
    ticker.advance(Duration.ofMinutes(9));
    s.search("t", 1);
    assertThat(target.calls).hasValue(1);
    ticker.advance(Duration.ofMinutes(2));
    s.search("t", 1);
    assertThat(target.calls).hasValue(2);
  }

  @Test
  void checkedExceptionsReachTheCallerUnwrappedAndAreNotCached() throws Exception {
    CountingSearch target = new CountingSearch();
    Search s = memory().proxy(Search.class, target);
    target.failNext = new IOException("index offline");
    assertThatThrownBy(() -> s.search("x", 1))
        .isInstanceOf(IOException.class)
        .hasMessage("index offline");
    assertThat(s.search("x", 1)).hasSize(1);
    assertThat(target.calls).hasValue(2);
  }

  @Test
  void futuresAreMemoizedByTheirValue() {
    CountingSearch target = new CountingSearch();
    Search s = memory().proxy(Search.class, target);
    assertThat(s.lookupAsync("7").join()).isEqualTo("async:7");
    assertThat(s.lookupAsync("7")).isCompletedWithValue("async:7");
    assertThat(target.calls).hasValue(1);
  }

  interface Renamed {
    @Cached(name = "search-v1")
    String find(String q);
  }

  interface RenamedAgain {
    @Cached(name = "search-v1")
    String lookup(String q);
  }

  @Test
  void anExplicitNameKeepsResultsAcrossARename() {
    try (ByteStore store = ByteStores.open("caffeine", Map.of(), registry)) {
      Memoizer m = Memoizer.builder().store(store).build();
      AtomicInteger calls = new AtomicInteger();
      m.proxy(
              Renamed.class,
              q -> {
                calls.incrementAndGet();
                return "v:" + q;
              })
          .find("a");
      String again =
          m.proxy(
                  RenamedAgain.class,
                  q -> {
                    calls.incrementAndGet();
                    return "other:" + q;
                  })
              .lookup("a");
      assertThat(again).isEqualTo("v:a");
      assertThat(calls).hasValue(1);
    }
  }

  interface Broken {
    @Cached
    void fireAndForget(String s);
  }

  interface BadTtl {
    @Cached(ttl = "soon")
    String get(String s);
  }

  interface NoneCached {
    String get(String s);
  }

  interface Unstable {
    @Cached
    String describe(Object o);
  }

  @Test
  void misuseIsReportedWhenTheProxyIsMadeNamingTheMethod() {
    Memoizer m = memory();
    assertThatThrownBy(() -> m.proxy(Broken.class, s -> {}))
        .hasMessageContaining("Broken.fireAndForget(String)")
        .hasMessageContaining("void");
    assertThatThrownBy(() -> m.proxy(BadTtl.class, s -> s))
        .hasMessageContaining("BadTtl.get(String)")
        .hasMessageContaining("'soon'");
    assertThatThrownBy(() -> m.proxy(NoneCached.class, s -> s)).hasMessageContaining("no @Cached");
    assertThatThrownBy(() -> m.proxy(CountingSearch.class, new CountingSearch()))
        .hasMessageContaining("not an interface");
    Memoizer noStore = memory();
    interface ZeroSize {
      @Cached(maxSize = 0)
      String get(String s);
    }
    assertThatThrownBy(() -> noStore.proxy(ZeroSize.class, s -> s))
        .hasMessageContaining("needs a backend");
  }

  @Test
  void anArgumentWithoutAStableKeyFailsTheCallNamingIt() {
    Unstable u = memory().proxy(Unstable.class, Object::toString);
    assertThat(u.describe(List.of("fine"))).isEqualTo("[fine]");
    assertThatThrownBy(() -> u.describe(new StringBuilder("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unstable.describe(Object)")
        .hasMessageContaining("argument 0")
        .hasMessageContaining("java.lang.StringBuilder");
  }
}
