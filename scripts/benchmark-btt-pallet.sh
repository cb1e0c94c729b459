#!/usr/bin/env bash
# Benchmarks one of BTT's pallets and, in the same run, pallet_balances (the baseline), then
# prints every call's weight as a ratio of `transfer_keep_alive` and the weight of component
# benchmarks at their lowest and highest component values (docs/performance.md).
#
# Usage: scripts/benchmark-btt-pallet.sh PALLET [--write-weights]
#   PALLET           pallet_tokenization, pallet_depin_registry, pallet_payfi, pallet_patient_rewards,
#                    pallet_validator_scoring, or pallet_xcm (a FRAME pallet
#                    whose shipped weights do not fit this runtime's XCM configuration)
#   --write-weights  also replace runtime/src/weights/PALLET.rs with the result
#   BTT_BENCH_NODE   the node to measure with; weights for the runtime need a release node:
#                    cargo build --release -p btt-node --features runtime-benchmarks
#   BTT_BENCH_STEPS / BTT_BENCH_REPEAT   default 2 / 10 (2 steps = lowest and highest
#                    component value: large set-ups, such as 100,000 holders, dominate the run)
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

pallet="${1:-}"
case "$pallet" in
	pallet_tokenization | pallet_depin_registry | pallet_payfi | pallet_patient_rewards | pallet_validator_scoring | pallet_xcm) ;;
	*) echo "usage: scripts/benchmark-btt-pallet.sh pallet_tokenization|pallet_depin_registry|pallet_payfi|pallet_patient_rewards|pallet_validator_scoring|pallet_xcm [--write-weights]" >&2; exit 2 ;;
esac
node="${BTT_BENCH_NODE:-$CARGO_TARGET_DIR/release/btt-node}"
[ -x "$node" ] || { echo "[btt] no node at $node (build a release node, or set BTT_BENCH_NODE)" >&2; exit 1; }
wasm="$CARGO_TARGET_DIR/debug/wbuild/btt-runtime/btt_runtime.wasm"
[ -f "$wasm" ] || { echo "[btt] runtime wasm not found at $wasm (run scripts/test.sh or scripts/dev.sh once)" >&2; exit 1; }
steps="${BTT_BENCH_STEPS:-2}"
repeat="${BTT_BENCH_REPEAT:-10}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "[btt] benchmarking pallet_balances + $pallet ($steps steps, $repeat repeats) with $node" >&2
start=$(date +%s)
"$node" benchmark pallet \
	--runtime "$wasm" \
	--genesis-builder-preset development \
	--pallet "pallet_balances,$pallet" --extrinsic '*' \
	--steps "$steps" --repeat "$repeat" \
	--wasm-execution compiled \
	--heap-pages 4096 \
	--header "$BTT_ROOT/scripts/benchmark-header.txt" \
	--json-file "$out/results.json" \
	--output "$out" >&2
echo "[btt] benchmarks took $(( $(date +%s) - start )) s" >&2

node "$BTT_ROOT/scripts/lib/weights-report.mjs" "$out/results.json"

if [ "$pallet" = pallet_xcm ]; then
	# A benchmark that returns an override weight (here `Weight::MAX`: no origin may claim) loses
	# its components in the CLI's output; `pallet_xcm::WeightInfo::claim_assets` takes `n`.
	sed -i 's/fn claim_assets() -> Weight {/fn claim_assets(_n: u32, ) -> Weight {/' "$out/$pallet.rs"
fi

# The CLI's regression: a component proof size can come out wrapped past u64 (a literal the
# runtime cannot compile). Name the functions instead of writing a file that breaks the build.
if grep -nE '[0-9]{20,}' "$out/$pallet.rs" >&2; then
	echo "[btt] the benchmark CLI printed a proof size past u64 in the lines above: keep those functions from the previous weights file (see docs/security.md)" >&2
	[ "${2:-}" = "--write-weights" ] && cp "$out/$pallet.rs" "$BTT_ROOT/runtime/src/weights/$pallet.rs.new" && echo "[btt] wrote runtime/src/weights/$pallet.rs.new to merge by hand" >&2
	exit 1
fi

if [ "${2:-}" = "--write-weights" ]; then
	cp "$out/$pallet.rs" "$BTT_ROOT/runtime/src/weights/$pallet.rs"
	echo "[btt] wrote runtime/src/weights/$pallet.rs" >&2
fi
