#!/bin/sh
# alternate.sh runs two builds of one measurement by turns, so that other
# work on the machine weighs on both alike, under /usr/bin/time (wall, user,
# system, maximum RSS), and prints the load average before and after.
#
#   bench/alternate.sh coverage BEFORE AFTER N DB   # senco binaries: senco report coverage --by la
#   bench/alternate.sh import BEFORE AFTER N        # bench/importmem binaries, a fresh SQLite file each run
#
# Build BEFORE from the other commit (git archive COMMIT | tar -x -C DIR;
# cd DIR && go build -o … ./cmd/senco). Run from the project's root (the
# register is read from ../shared/data). See docs/performance.md, section 7.
set -eu
kind=$1 before=$2 after=$3 n=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "load $(cut -d' ' -f1 /proc/loadavg)"
i=0
while [ "$i" -lt "$n" ]; do
	i=$((i + 1))
	for b in before after; do
		eval bin=\$$b
		case $kind in
		coverage)
			/usr/bin/time -f "$b wall %e s user %U s sys %S s maxrss %M KB" \
				"$bin" report coverage --by la --db "$5" --as-at "${AS_AT:-$(date +%F)}" >"$dir/$b.csv"
			;;
		import)
			rm -f "$dir/$b.db" "$dir/$b.db-wal" "$dir/$b.db-shm"
			echo "== $b, load $(cut -d' ' -f1 /proc/loadavg)"
			/usr/bin/time -f "$b wall %e s user %U s sys %S s maxrss %M KB" "$bin" -db "sqlite:$dir/$b.db"
			;;
		*)
			echo "unknown kind $kind" >&2
			exit 2
			;;
		esac
	done
done 2>&1
echo "load $(cut -d' ' -f1 /proc/loadavg)"
if [ "$kind" = coverage ]; then
	cmp -s "$dir/before.csv" "$dir/after.csv" && echo "both wrote the same $(wc -l <"$dir/after.csv") lines" || echo "THE OUTPUTS DIFFER"
fi
