#!/usr/bin/env bash
# Sets up the toolchain, builds btt-node and starts a development chain (`btt-node --dev`):
# one collator (Alice), a block every 3 s, finalized at once, state in a temporary directory.
# Once it runs, it loads the demo scenarios (tests/demo/*.js: a tokenized X-ray unit with
# holders, revenue and an open order; three DePIN compute nodes with a verified task and an
# open one) so that polkadot.js apps has something to show.
#
# Usage: scripts/dev.sh [extra btt-node arguments]
#   BTT_RPC_PORT   RPC port (default 9944)
#   BTT_DEMO=0     start an empty chain
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

port="${BTT_RPC_PORT:-9944}"
btt_build_node

cat >&2 <<MSG

[btt] starting the BTT development chain
[btt]   RPC (WebSocket and HTTP): ws://127.0.0.1:$port
[btt]   polkadot.js apps:         https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$port#/explorer
[btt]   dev accounts (Alice, Bob, ...) hold 1,000,000 BTT each; Alice is sudo
[btt]   stop with Ctrl-C; the chain's state is discarded

MSG
"$BTT_NODE" --dev --rpc-port "$port" "$@" &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true' INT TERM EXIT

if [ "${BTT_DEMO:-1}" != 0 ]; then
	if command -v npm >/dev/null &&
		(cd "$BTT_ROOT/tests" && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; }); then
		for demo in "$BTT_ROOT"/tests/demo/*.js; do
			node "$demo" "ws://127.0.0.1:$port" || echo "[btt] demo $(basename "$demo") did not load" >&2
		done
		echo "[btt] demo data loaded; the chain keeps running (Ctrl-C to stop)" >&2
	else
		echo "[btt] no npm (Node.js >= 20): demo data not loaded (apt-get install nodejs npm)" >&2
	fi
fi
wait "$node_pid"
