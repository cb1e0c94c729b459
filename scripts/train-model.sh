#!/usr/bin/env bash
# Trains the shipped diagnostic model from scratch on synthetic radiographs, evaluates it on the
# held-out test split, and with --install copies it into offchain-workers/models/ and
# regenerates the golden answers. The exact commands behind MODEL_CARD.md.
#
#   scripts/train-model.sh [--install]     (about 50 minutes on 2 cores)
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
out="$BTT_CACHE/training/btt-dental-tiny"
bin="$CARGO_TARGET_DIR/debug/btt-diagnostics"
(cd "$BTT_ROOT/offchain-workers" && cargo build --locked -p btt-diagnostics)
"$bin" train --out "$out" --train-count 2400 --validation-count 400 --epochs 12 --batch-size 16 --learning-rate 2e-3
"$bin" eval --model "$out/model.safetensors" --out "$out/eval" --test-count 1000
if [ "${1:-}" = "--install" ]; then
	models="$BTT_ROOT/offchain-workers/models"
	cp "$out/model.safetensors" "$models/btt-dental-tiny-v1.safetensors"
	cp "$out/eval/metrics.md" "$out/eval/metrics.json" "$out/eval/roc.png" "$models/"
	"$BTT_ROOT/scripts/golden-diagnostics.sh"
	echo "[btt] installed; update the figures in $models/MODEL_CARD.md from $models/metrics.md"
fi
