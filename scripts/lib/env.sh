# Sourced by every script: one target dir outside the clone, one toolchain, one feature set.
#
# The debug node, the runtime tests and CI all build with the same features so they share one
# build cache (see docs/build.md): benchmarks and try-runtime are compiled in.

BTT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export BTT_ROOT
export BTT_CACHE="${BTT_CACHE:-$HOME/.cache/btt}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$BTT_CACHE/target}"
# The wasm builder cannot find the workspace's Cargo.lock from a target dir outside the clone.
export WASM_BUILD_WORKSPACE_HINT="$BTT_ROOT"
export BTT_FEATURES="runtime-benchmarks try-runtime"
export BTT_NODE="$CARGO_TARGET_DIR/debug/btt-node"

"$BTT_ROOT/scripts/setup-toolchain.sh"
# shellcheck disable=SC1091
. "$BTT_CACHE/toolchain/env"

# Builds the debug `btt-node` (runtime wasm included), printing cargo's progress.
#
# It builds the whole workspace, not `-p btt-node`: then every crate is resolved with the same
# features as in `cargo test --workspace`, and the tests reuse the node's build exactly.
btt_build_node() {
	local started=$SECONDS
	echo "[btt] building btt-node (features: $BTT_FEATURES); a cold build takes about an hour on 2 cores" >&2
	(cd "$BTT_ROOT" && cargo build --locked --workspace --features "$BTT_FEATURES") || return 1
	echo "[btt] btt-node ready in $((SECONDS - started)) s: $BTT_NODE" >&2
}

# Builds the off-chain tools (`btt-worker`, `btt-diagnostics`, `btt-claims`) of the
# offchain-workers workspace into the same target dir.
btt_build_workers() {
	local started=$SECONDS
	echo "[btt] building btt-worker, btt-diagnostics and btt-claims" >&2
	(cd "$BTT_ROOT/offchain-workers" && cargo build --locked -p btt-worker -p btt-diagnostics -p btt-claims) || return 1
	echo "[btt] workers ready in $((SECONDS - started)) s" >&2
}
