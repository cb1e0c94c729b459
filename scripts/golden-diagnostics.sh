#!/usr/bin/env bash
# Writes the shipped model's reference answers on the shipped sample images:
# offchain-workers/models/samples/golden.json, which the golden test
# (to be restored as offchain-workers/diagnostics/tests/suite/golden.rs once a model is shipped)
# compares against.
#
# Run it after replacing the shipped model (scripts/train-model.sh --install does).
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
models="$BTT_ROOT/offchain-workers/models"
samples="$models/samples"
model="$models/btt-dental-tiny-v1.safetensors"
bin="$CARGO_TARGET_DIR/debug/btt-diagnostics"
(cd "$BTT_ROOT/offchain-workers" && cargo build --locked -p btt-diagnostics)
mkdir -p "$samples"
# Four held-out test-split cases (never trained on), as PNG and DICOM.
"$bin" generate --out "$samples" --count 4 --seed 8589934600 --format both >/dev/null
{
	echo '{'
	echo "  \"model_id\": $("$bin" model-id "$model" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["file"]))'),"
	echo '  "images": ['
	first=1
	for image in "$samples"/case-*.png "$samples"/case-*.dcm; do
		[ $first -eq 1 ] || echo ','
		first=0
		"$bin" diagnose --model "$model" "$image" --module caries |
			python3 -c 'import json,sys,os; r=json.load(sys.stdin); print(json.dumps({"file": os.path.basename(r["image"]), "input_hash": r["input_hash"], "digest": r["chain"]["digest"], "findings": {m["module"]: [m["class"], m["bucket"]] for m in r["modules"]}}), end="")'
	done
	echo
	echo '  ]'
	echo '}'
} >"$samples/golden.json"
echo "[btt] wrote $samples/golden.json"
