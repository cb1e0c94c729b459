#!/usr/bin/env bash
# Regenerates offchain-workers/worker/metadata/btt.scale, the runtime metadata (V15) the
# worker's subxt client is generated from, after a runtime change. The runtime test
# `worker_metadata_matches_the_runtime` fails until this has been run.
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
cd "$BTT_ROOT"
# `--workspace`, not `-p btt-runtime`: the same feature resolution as the node's and the tests'
# builds, so nothing is rebuilt for other features.
BTT_WRITE_METADATA=1 cargo test --locked --workspace --features "$BTT_FEATURES" --test metadata \
	worker_metadata_matches_the_runtime
echo "[btt] wrote offchain-workers/worker/metadata/btt.scale ($(wc -c <offchain-workers/worker/metadata/btt.scale) bytes)"
