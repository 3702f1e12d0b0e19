#!/bin/sh
# Builds the core of the embed-path rewrite's baseline (commit 5cc2629) beside this checkout, from
# `git archive` (no second worktree, nothing installed into ~/.m2), compiles the `pipeline` section's
# no-op provider for that version's SPI (benchmarks/baseline/NoOpProvider.java) against it, and writes
# the runtime class path of both to benchmarks/target/baseline-5cc2629/classpath.txt, where the
# `pipeline` benchmark section finds it.
# Maven runs offline unless MAVEN_OFFLINE is set to something else (e.g. MAVEN_OFFLINE= to go online).
set -eu
commit=5cc2629
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/benchmarks/target/baseline-$commit"
rm -rf "$out"
mkdir -p "$out/src" "$out/noop"
git -C "$root" archive "$commit" | tar -x -C "$out/src"
cd "$out/src"
./mvnw -B -ntp -q ${MAVEN_OFFLINE--o} -pl core -am package -DskipTests
./mvnw -B -ntp -q ${MAVEN_OFFLINE--o} -pl core dependency:build-classpath \
  -Dmdep.outputFile="$out/deps.txt" -Dmdep.includeScope=runtime
jar=$(ls "$out"/src/core/target/batchwise-core-*.jar | grep -v -- '-tests.jar' | head -n 1)
javac --release 17 -d "$out/noop" -cp "$jar:$(cat "$out/deps.txt")" \
  "$root/benchmarks/baseline/NoOpProvider.java"
printf '%s:%s:%s\n' "$out/noop" "$jar" "$(cat "$out/deps.txt")" > "$out/classpath.txt"
echo "baseline $commit: $out/classpath.txt"
