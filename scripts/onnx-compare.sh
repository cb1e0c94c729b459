#!/usr/bin/env bash
# candle against ONNX Runtime on the same graph, weights and input, measured in one run: exports
# the model file's network to ONNX (scripts/onnx/compare.py), checks that both give the same
# logits, times the forward pass of both with batch 1 and batch 4 (one diagnosis with its
# test-time augmentations), and prints a table for docs/performance.md. candle is timed twice in
# the same run: the fused blocks diagnoses run, and the candle-nn layers training runs.
#
# Usage: scripts/onnx-compare.sh [MODEL.safetensors]   (installs numpy, onnx, onnxruntime from
# PyPI into $BTT_CACHE/onnx-venv on first use)
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
echo "| batch | candle fused (ms) | candle fused images/s | candle-nn layers (ms) | ONNX Runtime (ms) | ONNX Runtime images/s | candle fused speed ÷ ONNX Runtime | candle-nn speed ÷ ONNX Runtime | max logit difference |"
echo "|---|---|---|---|---|---|---|---|---|"
for batch in 1 4; do
	dir="$work/batch-$batch"
	candle="$("$bin" bench --model "$model" --batch "$batch" --iterations "$iterations" --warmup "$warmup" --dump "$dir")"
	onnx="$("$venv/bin/python" "$BTT_ROOT/scripts/onnx/compare.py" "$model" "$dir" "$dir/model.onnx" "$iterations" "$warmup")"
	python3 - "$candle" "$onnx" <<'PY'
import json, sys
candle, onnx = json.loads(sys.argv[1]), json.loads(sys.argv[2])
layers = candle["candle_nn"]
ratio = onnx["median_ms"] / candle["median_ms"]
layers_ratio = onnx["median_ms"] / layers["median_ms"]
print(f"| {candle['batch']} | {candle['median_ms']:.2f} | {candle['images_per_second']:.1f} | {layers['median_ms']:.2f} | "
      f"{onnx['median_ms']:.2f} | {onnx['images_per_second']:.1f} | **{ratio:.2f}×** | {layers_ratio:.2f}× | "
      f"{onnx['max_abs_logit_difference']:.1e} |")
PY
done
echo "[btt] $(nproc) cores, $iterations timed passes after $warmup warm-up passes each; $("$venv/bin/python" -c 'import onnxruntime; print("onnxruntime", onnxruntime.__version__)')" >&2
