#!/usr/bin/env bash
# Compares brokkr-codec-bench's zstd and lz4 figures with the reference
# command-line tools' own benchmark modes on the same data, and prints our
# MB/s over theirs (1.00 = as fast as the tool; MB = 10^6 bytes).
#
#   tools/bench/codec-vs-cli.sh <build dir>
#
# For each batch.size in CHUNKS, brokkr-codec-bench writes its corpus framed
# into producer batches (records sections back to back) and says how large a
# full batch is; the tools then cut the file into independent pieces of that
# size, so both sides compress the same batches one call at a time:
#   zstd -b3 -B<batch>        vs  our zstd plugin at level 3 (Kafka's default)
#   lz4  -b1 -B<piece>        vs  our lz4 plugin at level 1
# lz4's piece is the batch, capped at 64 KiB: Kafka's lz4 framing (and our
# plugin) cuts a batch into independent 64 KiB blocks, which is what the
# tool's -B does to the file. The tools keep their contexts across calls,
# the plugins create them per call: that cost is part of what this shows.
#
# Each side runs ROUNDS times, the two alternating so both meet the same
# neighbours on a shared machine, and its best figures count.
#
# Environment: SIZE_MIB (default 64), CHUNKS ("16K 1M"), ROUNDS (3), PASSES
# (3, ours: best of, per round), SECONDS_PER_RUN (3, the tools' -i). Not a
# test: nothing asserts a speed. Run it on an idle machine (see `uptime`).
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <build dir>" >&2
  exit 2
fi
bench="$(cd "$1" && pwd)/bin/brokkr-codec-bench"
if [[ ! -x $bench ]]; then
  echo "$bench is missing: build the brokkr-codec-bench target" >&2
  exit 1
fi
for tool in zstd lz4; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
size_mib=${SIZE_MIB:-64}
chunks=${CHUNKS:-"16K 1M"}
passes=${PASSES:-3}
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_RUN:-3}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/brokkr-codec-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# "ratio compress_MB/s decompress_MB/s" from a tool's -b output (its last
# result line; progress lines are separated by carriage returns).
tool_figures() {
  tr '\r' '\n' | grep -E 'MB/s.*MB/s' | tail -n 1 |
    sed -E 's/.*\(x?([0-9.]+)\), *([0-9.]+) MB\/s *, *([0-9.]+) MB\/s.*/\1 \2 \3/'
}

# "ratio compress_MB/s decompress_MB/s" from brokkr-codec-bench --csv.
our_figures() {
  "$bench" --csv --size-mib "$size_mib" --passes "$passes" --chunks "$2" --only "$1" |
    tail -n 1 | awk -F, '{ print $4, $5, $6 }'
}

# The better of two "ratio c d" triples, field by field (ratios are equal).
best_of() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a == "") { print b; exit }
    split(a, x, " "); split(b, y, " ")
    print x[1], (x[2] > y[2] ? x[2] : y[2]), (x[3] > y[3] ? x[3] : y[3]) }'
}

printf '| codec | batch.size | ours ratio | tool ratio | ours MB/s (c / d) | tool MB/s (c / d) | ours / tool (c / d) |\n'
printf '| --- | --- | ---: | ---: | ---: | ---: | ---: |\n'
for chunk in $chunks; do
  batch_bytes=$("$bench" --size-mib "$size_mib" --chunks "$chunk" --write-corpus "$tmp/corpus" |
                sed -n 's/^batch_bytes=//p')
  lz4_block=$((batch_bytes < 65536 ? batch_bytes : 65536))
  for codec in zstd lz4; do
    ours=""
    theirs=""
    for ((round = 0; round < rounds; round++)); do
      if [[ $codec == zstd ]]; then
        ours=$(best_of "$ours" "$(our_figures zstd:3 "$chunk")")
        theirs=$(best_of "$theirs" "$(zstd -b3 -B"$batch_bytes" -i"$seconds" "$tmp/corpus" 2>&1 |
                                      tool_figures)")
        label="zstd 3 (-b3 -B$batch_bytes)"
      else
        ours=$(best_of "$ours" "$(our_figures lz4:1 "$chunk")")
        theirs=$(best_of "$theirs" "$(lz4 -b1 -B"$lz4_block" -i"$seconds" "$tmp/corpus" 2>&1 |
                                      tool_figures)")
        label="lz4 1 (-b1 -B$lz4_block)"
      fi
    done
    read -r o_ratio o_c o_d <<<"$ours"
    read -r t_ratio t_c t_d <<<"$theirs"
    awk -v l="$label" -v ch="$chunk" -v orr="$o_ratio" -v tr="$t_ratio" -v oc="$o_c" -v od="$o_d" \
        -v tc="$t_c" -v td="$t_d" 'BEGIN {
      printf "| %s | %s | %.2f | %.2f | %.0f / %.0f | %.0f / %.0f | %.2f / %.2f |\n",
             l, ch, orr, tr, oc, od, tc, td, oc / tc, od / td }'
  done
done
