#!/usr/bin/env bash
# Runs one pallet's benchmarks on the runtime's wasm and writes its weights file.
#
# Usage: scripts/benchmark.sh <pallet> [output.rs]
#   <pallet>     as listed in runtime/src/benchmarks.rs, e.g. pallet_balances
#   output.rs    default runtime/src/weights/<pallet>.rs (add it to weights/mod.rs once)
#   BTT_BENCH_STEPS / BTT_BENCH_REPEAT   default 50 / 20
#   BTT_BENCH_NODE   the btt-node to measure with (default: the debug node, built if needed)
#
# Weights that go into the runtime must be measured by a release node
# (`cargo build --release -p btt-node --features runtime-benchmarks`) on the hardware class
# that produces blocks: the debug node runs the wasm compiled but its host side (storage,
# hashing through the externalities) unoptimized, and measured 17-30x the reference figures
# (docs/build.md). Commit the file it writes, unedited.
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

pallet="${1:?usage: scripts/benchmark.sh <pallet> [output.rs]}"
output="${2:-$BTT_ROOT/runtime/src/weights/$pallet.rs}"
steps="${BTT_BENCH_STEPS:-50}"
repeat="${BTT_BENCH_REPEAT:-20}"

node="${BTT_BENCH_NODE:-}"
if [ -z "$node" ]; then
	btt_build_node
	node="$BTT_NODE"
fi
# A debug outer build leaves the blob uncompacted (the wasm itself is always a release build).
wasm="$CARGO_TARGET_DIR/debug/wbuild/btt-runtime/btt_runtime.wasm"
[ -f "$wasm" ] || { echo "[btt] runtime wasm not found at $wasm" >&2; exit 1; }

echo "[btt] benchmarking $pallet ($steps steps, $repeat repeats) -> $output" >&2
"$node" benchmark pallet \
	--runtime "$wasm" \
	--genesis-builder-preset development \
	--pallet "$pallet" --extrinsic '*' \
	--steps "$steps" --repeat "$repeat" \
	--wasm-execution compiled \
	--heap-pages 4096 \
	--header "$BTT_ROOT/scripts/benchmark-header.txt" \
	--output "$output"
echo "[btt] wrote $output" >&2
