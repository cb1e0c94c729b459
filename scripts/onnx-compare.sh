#!/usr/bin/env bash
# candle against ONNX Runtime on the same graph, weights and input, measured in one run: exports
# the model file's network to ONNX (scripts/onnx/compare.py; opset 21, GroupNormalization as one
# op), checks that both give the same logits, times the forward pass of both with batch 1 and
# batch 4 (one diagnosis with its test-time augmentations) on each convolution kernel
# (BTT_KERNEL=avx512, avx2, portable; one the CPU lacks is skipped), plus whole diagnoses
# (decode + quality + preprocess + inference), and prints a table for docs/performance.md with
# min / median / max over BTT_BENCH_RUNS runs (default 3). Both runtimes get the same thread
# count (RAYON_NUM_THREADS, default nproc; ONNX Runtime's intra_op_num_threads), printed with the
# CPU's flags.
#
# Usage: [BTT_BENCH_ITERATIONS=100] [BTT_BENCH_RUNS=3] [BTT_BENCH_KERNELS="avx512 avx2 portable"]
#        scripts/onnx-compare.sh [MODEL.safetensors]   (installs numpy, onnx, onnxruntime from
#        PyPI into $BTT_CACHE/onnx-venv on first use)
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
model="${1:-$BTT_ROOT/offchain-workers/models/btt-dental-tiny-v1.safetensors}"
iterations="${BTT_BENCH_ITERATIONS:-100}"
warmup=10
venv="$BTT_CACHE/onnx-venv"
if ! "$venv/bin/python" -c 'import numpy, onnx, onnxruntime' 2>/dev/null; then
	echo "[btt] installing numpy, onnx and onnxruntime into $venv" >&2
	python3 -m venv "$venv"
	"$venv/bin/pip" install --quiet numpy onnx onnxruntime
fi
btt_build_workers
bin="$CARGO_TARGET_DIR/debug/btt-diagnostics"
work="$(mktemp -d -t btt-onnx-XXXXXX)"
trap 'rm -rf "$work"' EXIT
threads="${RAYON_NUM_THREADS:-$(nproc)}"
export RAYON_NUM_THREADS="$threads"
runs="${BTT_BENCH_RUNS:-3}"
kernels="${BTT_BENCH_KERNELS:-avx512 avx2 portable}"
flags="$(grep -o -w -E 'avx2|fma|avx512f|avx512bw|avx512vl' /proc/cpuinfo 2>/dev/null | sort -u | tr '\n' ' ' || true)"
echo "[btt] CPU: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | xargs); flags: ${flags:-none of avx2/fma/avx512}; $threads threads for candle (RAYON_NUM_THREADS) and ONNX Runtime (intra_op_num_threads); $runs runs" >&2
results="$work/results.jsonl"
for run in $(seq 1 "$runs"); do
	for batch in 1 4; do
		dir="$work/batch-$batch"
		onnx="$("$venv/bin/python" "$BTT_ROOT/scripts/onnx/compare.py" "$model" "$dir" "$dir/model.onnx" "$iterations" "$warmup" "$threads" 2>/dev/null || true)"
		for kernel in $kernels; do
			if ! candle="$(BTT_KERNEL="$kernel" "$bin" bench --model "$model" --batch "$batch" --iterations "$iterations" --warmup "$warmup" --dump "$dir" 2>"$work/err")"; then
				echo "[btt] kernel $kernel skipped: $(cat "$work/err")" >&2
				continue
			fi
			[ -n "$onnx" ] || onnx="$("$venv/bin/python" "$BTT_ROOT/scripts/onnx/compare.py" "$model" "$dir" "$dir/model.onnx" "$iterations" "$warmup" "$threads")"
			python3 -c 'import json,sys; print(json.dumps({"run": int(sys.argv[1]), "candle": json.loads(sys.argv[2]), "onnx": json.loads(sys.argv[3])}))' "$run" "$candle" "$onnx" >>"$results"
		done
	done
done
python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def spread(values):
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"
print("| kernel | batch | threads | candle fused ms (min / median / max of the runs' medians) | ONNX Runtime ms | candle ÷ ORT speed | whole diagnosis ms (decode + quality + preprocess + inference) | diagnoses/s | max logit difference |")
print("|---|---|---|---|---|---|---|---|---|")
keys = sorted({(r["candle"]["kernel"], r["candle"]["batch"]) for r in rows}, key=lambda k: (k[1], k[0]))
for kernel, batch in keys:
    group = [r for r in rows if r["candle"]["kernel"] == kernel and r["candle"]["batch"] == batch]
    candle = [r["candle"]["median_ms"] for r in group]
    onnx = [r["onnx"]["median_ms"] for r in group]
    ratios = [o / c for o, c in zip(onnx, candle)]
    whole = [r["candle"]["whole_diagnosis"]["median_ms"] for r in group]
    threads = {r["candle"]["threads"] for r in group} | {r["onnx"]["threads"] for r in group}
    diff = max(r["onnx"]["max_abs_logit_difference"] for r in group)
    print(f"| {kernel} | {batch} | {'/'.join(map(str, sorted(threads)))} | {spread(candle)} | {spread(onnx)} | "
          f"**{spread(ratios)}×** | {spread(whole)} | {1e3 / statistics.median(whole):.1f} | {diff:.1e} |")
PY
echo "[btt] $iterations timed passes after $warmup warm-up passes per run; $("$venv/bin/python" -c 'import onnxruntime; print("onnxruntime", onnxruntime.__version__)'); rustc processes running at the end: $(pgrep -c rustc || true)" >&2
