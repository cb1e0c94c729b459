#!/usr/bin/env bash
# Checks that `std`, `runtime-benchmarks` and `try-runtime` are declared and forwarded to every
# dependency that has them, in every crate of the workspace (zepter, from crates.io).
#   --fix   let zepter add the missing forwards
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh" >/dev/null

ZEPTER_VERSION=1.88.2
zepter="$BTT_CACHE/bin/zepter"
if ! "$zepter" --version 2>/dev/null | grep -q "$ZEPTER_VERSION"; then
	echo "[btt] installing zepter $ZEPTER_VERSION (once)" >&2
	cargo install --locked --quiet --root "$BTT_CACHE" --version "$ZEPTER_VERSION" zepter >&2
fi

fix=()
[ "${1:-}" = "--fix" ] && fix=(--fix)
cd "$BTT_ROOT"
"$zepter" lint propagate-feature --quiet \
	--manifest-path Cargo.toml \
	--features std,runtime-benchmarks,try-runtime \
	--left-side-feature-missing ignore \
	--left-side-outside-workspace ignore \
	--feature-enables-dep "try-runtime:frame-try-runtime,runtime-benchmarks:frame-benchmarking" \
	--ignore-missing-propagate "btt-runtime/std:substrate-wasm-builder/std" \
	"${fix[@]}"
echo "[btt] feature propagation ok" >&2
