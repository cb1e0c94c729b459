#!/usr/bin/env bash
# Runs every BTT test: feature propagation (zepter), rustfmt of both workspaces, the Rust
# workspace tests (runtime against the real `Runtime`, with benchmarks and try-runtime compiled in), the off-chain workspace's
# tests (diagnostics library, worker), and the @polkadot/api end-to-end tests against a
# `btt-node --dev` (and real `btt-worker` processes) they start themselves.
#
# Builds what it needs first (toolchain, btt-node, btt-worker). Prints one summary line per runner and
# exits non-zero if anything failed.
set -uo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh" || exit 1

logs="$BTT_CACHE/test-logs"
mkdir -p "$logs"
failed=0
summaries=()

step() { printf '\n[btt] === %s ===\n' "$*" >&2; }

# Sums cargo's "test result:" lines of a log: prints passed, failed, ignored, test binaries.
cargo_test_counts() {
	awk '
		/^test result:/ { b++; for (i = 1; i <= NF; i++) {
			if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) ig += $i } }
		END { print p+0, f+0, ig+0, b+0 }' "$1"
}

step "build btt-node"
if ! btt_build_node; then
	echo "[btt] btt-node did not build; nothing else can run" >&2
	exit 1
fi

step "build btt-worker, btt-diagnostics and btt-claims"
if ! btt_build_workers; then
	echo "[btt] the off-chain workers did not build; their tests will fail" >&2
	failed=1
	summaries+=("offchain build: FAILED")
fi

step "feature propagation (zepter)"
if "$BTT_ROOT/scripts/check-features.sh"; then
	summaries+=("zepter: std/runtime-benchmarks/try-runtime propagate in every crate")
else
	failed=1
	summaries+=("zepter: FAILED (see above)")
fi

step "rustfmt --check (both workspaces)"
if cargo fmt --version >/dev/null 2>&1; then
	if (cd "$BTT_ROOT" && cargo fmt --all -- --check) &&
		(cd "$BTT_ROOT/offchain-workers" && cargo fmt --all -- --check); then
		summaries+=("rustfmt: both workspaces formatted")
	else
		failed=1
		summaries+=("rustfmt: FAILED (cargo fmt --all in the root and in offchain-workers)")
	fi
else
	summaries+=("rustfmt: not installed with this toolchain, not checked")
fi

step "cargo test --workspace"
cargo_log="$logs/cargo-test.log"
(cd "$BTT_ROOT" && cargo test --locked --no-fail-fast --workspace --features "$BTT_FEATURES" 2>&1) | tee "$cargo_log"
cargo_status=${PIPESTATUS[0]}
read -r passed failed_tests ignored binaries < <(cargo_test_counts "$cargo_log")
summaries+=("cargo test: $passed passed, $failed_tests failed, $ignored ignored in $binaries test binaries (exit $cargo_status)")
[ "$cargo_status" -eq 0 ] || failed=1

step "cargo test (offchain-workers: diagnostics and worker)"
offchain_log="$logs/offchain-test.log"
(cd "$BTT_ROOT/offchain-workers" && cargo test --locked --no-fail-fast --workspace 2>&1) | tee "$offchain_log"
offchain_status=${PIPESTATUS[0]}
read -r passed failed_tests ignored binaries < <(cargo_test_counts "$offchain_log")
summaries+=("cargo test (offchain-workers): $passed passed, $failed_tests failed, $ignored ignored in $binaries test binaries (exit $offchain_status)")
[ "$offchain_status" -eq 0 ] || failed=1

step "@polkadot/api end-to-end tests (tests/)"
if ! command -v npm >/dev/null; then
	echo "[btt] npm (Node.js >= 20) is needed for the end-to-end tests: apt-get install nodejs npm" >&2
fi
npm_log="$logs/e2e.log"
(
	cd "$BTT_ROOT/tests" &&
		{ [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } &&
		BTT_NODE="$BTT_NODE" npm test --silent
) 2>&1 | tee "$npm_log"
e2e_status=${PIPESTATUS[0]}
e2e_counts=$(grep -E '^ℹ (tests|pass|fail) ' "$npm_log" | awk '{printf "%s %s, ", $3, $2}' | sed 's/, $//')
summaries+=("node:test e2e: ${e2e_counts:-no summary} (exit $e2e_status)")
[ "$e2e_status" -eq 0 ] || failed=1

printf '\n[btt] === summary ===\n'
printf '%s\n' "${summaries[@]}"
if [ "$failed" -ne 0 ]; then
	echo "RESULT: FAILED"
	exit 1
fi
echo "RESULT: all tests passed"
