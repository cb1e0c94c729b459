#!/usr/bin/env bash
# Sets up the toolchain, builds btt-node and starts a development chain (`btt-node --dev`):
# one collator (Alice), a block every 3 s, finalized at once, state in a temporary directory.
#
# Usage: scripts/dev.sh [extra btt-node arguments]
#   BTT_RPC_PORT   RPC port (default 9944)
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
exec "$BTT_NODE" --dev --rpc-port "$port" "$@"
