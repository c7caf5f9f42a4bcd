#!/usr/bin/env bash
# Runs the measurements of docs/performance.md and writes their output to
# a directory (default /tmp/senco-bench-<time>):
#
#   bench/run.sh [OUTDIR]
#
# Needs the full 2021 Ofsted register at ../shared/data/ (beside the
# repository) and, for the PostgreSQL half, SENCO_TEST_POSTGRES (e.g.
# postgres://postgres@127.0.0.1:5432/test?sslmode=disable); without it only
# SQLite is measured. Each step first waits (up to QUIET_WAIT seconds,
# default 300) for the 1-minute load average to fall below QUIET_LOAD
# (default 3), because other work on a 2-core machine moves every figure;
# the load at the start of each step is written beside its output.
# ONLY=import or ONLY=search runs one half; CLIENTS (50) and DURATION (60s)
# set the search load.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
out="${1:-/tmp/senco-bench-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
data="$repo/../shared/data/ofsted_childcare_providers_2021-08-31_full.csv.gz"
pg="${SENCO_TEST_POSTGRES:-}"
quiet_load="${QUIET_LOAD:-3}"
quiet_wait="${QUIET_WAIT:-300}"
clients="${CLIENTS:-50}"
duration="${DURATION:-60s}"
only="${ONLY:-}"

wait_quiet() {
  local waited=0
  while awk -v max="$quiet_load" '{exit !($1 >= max)}' /proc/loadavg && [ "$waited" -lt "$quiet_wait" ]; do
    sleep 10
    waited=$((waited + 10))
  done
  echo "== $1 — $(date -u +%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/steps.txt"
}

{
  echo "nproc $(nproc); $(go version); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "memory $(free -m | awk '/Mem:/{print $2}') MiB; $(uname -sr)"
  git -C "$repo" log -1 --format='commit %H (%cd)' 2>/dev/null || true
} | tee "$out/machine.txt"

go build -o "$out/importmem" ./bench/importmem
go build -o "$out/searchload" ./bench/searchload

if [ "$only" != search ]; then
# 1. Import: go benchmarks (rows/s, CPU, allocations).
wait_quiet "import benchmarks, SQLite"
go test ./internal/register/ -run '^$' -bench 'ImportFullSQLite$' -benchtime "${IMPORT_TIMES_SQLITE:-3x}" -benchmem | tee "$out/bench-import-sqlite.txt"
wait_quiet "re-import benchmarks, SQLite"
go test ./internal/register/ -run '^$' -bench 'ReimportFullSQLite$' -benchtime 3x -benchmem | tee "$out/bench-reimport-sqlite.txt"
if [ -n "$pg" ]; then
  wait_quiet "import benchmarks, PostgreSQL"
  go test ./internal/register/ -run '^$' -bench 'ImportFullPostgres$|ReimportFullPostgres$' -benchtime 3x -benchmem | tee "$out/bench-import-postgres.txt"
fi

# 2. Import: peak memory of one import, and of one re-import, each in a
# process of its own.
rm -f "$out"/im.db*
for step in import reimport; do
  wait_quiet "importmem SQLite $step"
  /usr/bin/time -v "$out/importmem" -db "sqlite:$out/im.db" -file "$data" 2>&1 | tee "$out/importmem-sqlite-$step.txt"
done
if [ -n "$pg" ]; then
  wait_quiet "importmem PostgreSQL import"
  /usr/bin/time -v "$out/importmem" -db "$pg" -schema senco_importmem -drop -file "$data" 2>&1 | tee "$out/importmem-postgres-import.txt"
  wait_quiet "importmem PostgreSQL reimport"
  /usr/bin/time -v "$out/importmem" -db "$pg" -schema senco_importmem -file "$data" 2>&1 | tee "$out/importmem-postgres-reimport.txt"
fi

fi

if [ "$only" != import ]; then
# 3. Search under load: the register imported above (SQLite) or into the
# schema senco_bench (PostgreSQL, imported on first use).
if [ ! -f "$out/im.db" ]; then
  "$out/importmem" -db "sqlite:$out/im.db" -file "$data" > "$out/importmem-sqlite-for-search.txt"
fi
for c in "$clients" 1; do
  wait_quiet "searchload SQLite, $c clients"
  "$out/searchload" -db "sqlite:$out/im.db" -file "$data" -c "$c" -d "$duration" | tee "$out/searchload-sqlite-c$c.txt"
done
if [ -n "$pg" ]; then
  # A fresh schema, imported by the first run: as an import leaves it, with
  # no planner statistics until (auto)ANALYZE; then again after ANALYZE.
  sep='?'; case "$pg" in *\?*) sep='&';; esac
  psql "$pg" -qc 'DROP SCHEMA IF EXISTS senco_bench CASCADE' -c 'CREATE SCHEMA senco_bench'
  for c in "$clients" 1; do
    wait_quiet "searchload PostgreSQL, $c clients"
    "$out/searchload" -db "${pg}${sep}search_path=senco_bench" -file "$data" -c "$c" -d "$duration" | tee "$out/searchload-postgres-c$c.txt"
  done
  psql "$pg" -qc 'ANALYZE senco_bench.settings' -c 'ANALYZE senco_bench.local_authorities'
  for c in "$clients" 1; do
    wait_quiet "searchload PostgreSQL after ANALYZE, $c clients"
    "$out/searchload" -db "${pg}${sep}search_path=senco_bench" -file "$data" -c "$c" -d "$duration" | tee "$out/searchload-postgres-analyzed-c$c.txt"
  done
fi
fi
echo "results in $out"
