#!/usr/bin/env bash
# The main job: sets up the toolchain, builds btt-node and the off-chain workers, starts a
# development chain (`btt-node --dev`: Alice the invulnerable collator, a block every 3 s, final at once,
# state in a temporary directory), and loads the demos:
#   - tests/demo/tokenization.js: a tokenized X-ray unit with holders, revenue and an open order;
#   - tests/demo/payfi.js: a new patient holding only dUSD pays a clinic, its fee in dUSD; Bob
#     opens a tab, signs 100 micro-payment vouchers off chain, the clinic redeems the latest in
#     one extrinsic and closes it; Bob schedules a monthly membership; an insurer funds a pool,
#     the clinic's FHIR Claim is converted by `btt-claims`, submitted and approved, and answered
#     as a FHIR ClaimResponse;
#   - tests/demo/rewards.js: a new patient's simulated toothbrush (its own sr25519 key) signs 7
#     days of hygiene; Bob's clinic confirms a checkup and a 3-stage plan; after the dev chain's
#     one-minute budget period the patient redeems rewards at Ferdie's shop (a coded PayFi
#     payment) and claims the rest;
#   - tests/demo/collators.js: three operators bond, declare candidacy and register
#     node-generated session keys; Dave//stash nominates one; a referendum on the compliance
#     track (not sudo) rates one; the demo prints
#     the next election's ranking by V = 0.4·S + 0.35·H + 0.25·C and when its winners are seated;
#   - tests/demo/depin-workers.js: three honest `btt-worker`s and one --dishonest one (answering
#     a constant) register their nodes, with the node key's proof; one auditor
#     (`btt-worker audit` as //Alice//stash, docs/auditor.md) posts challenge tasks with sealed
#     answers from fresh accounts and serves their images; a clinic posts radiographs. The script
#     prints the verified results, the FHIR report and overlay paths, the fees paid and the
#     dishonest node slashed, then each challenge's outcome (which nodes matched the sealed
#     answer) and every node's challenges passed/failed. The workers and the auditor keep
#     running (tasks posted from polkadot.js apps are served) until Ctrl-C.
#
# Usage: scripts/dev.sh [extra btt-node arguments]
#   BTT_RPC_PORT     RPC port (default 9944)
#   BTT_DEMO=0       start an empty chain, no workers
#   BTT_DATA         where the workers and the auditor keep their state (default: a new temp dir)
#   BTT_CHALLENGES   challenge tasks the auditor posts (default 3; 0: no auditor)
#   BTT_LOGS         where the node's log goes (default: a new temp dir; its path is printed)
#   BTT_STATUS_EVERY seconds between the one-line chain status lines (default 30; 0: none)
#
# The terminal shows the demos' narrative and a one-line chain status every 30 s; the node's
# own log (several lines a block) goes to a file whose path is printed.
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

port="${BTT_RPC_PORT:-9944}"
btt_build_node
[ "${BTT_DEMO:-1}" = 0 ] || btt_build_workers

logs="${BTT_LOGS:-$(mktemp -d -t btt-dev-XXXXXX)}"
mkdir -p "$logs"
node_log="$logs/node.log"
cat >&2 <<MSG

[btt] starting the BTT development chain
[btt]   RPC (WebSocket and HTTP): ws://127.0.0.1:$port
[btt]   polkadot.js apps:         https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$port#/explorer
[btt]   dev accounts (Alice, Bob, ...) hold 1,000,000 BTT and 100,000 dUSD (asset 1337) each;
[btt]   Alice is sudo; a BTT/dUSD pool lets an account holding only dUSD pay its fees in dUSD
[btt]   node log: $node_log  (tail -f it for the node's own lines)
[btt]   stop with Ctrl-C; the chain's state is discarded

MSG
"$BTT_NODE" --dev --rpc-port "$port" "$@" >"$node_log" 2>&1 &
node_pid=$!
demo_pid=
status_pid=
stopping=
stop_all() {
	stopping=1
	[ -z "$demo_pid" ] || kill "$demo_pid" 2>/dev/null || true
	[ -z "$status_pid" ] || kill "$status_pid" 2>/dev/null || true
	kill "$node_pid" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

if [ "${BTT_DEMO:-1}" != 0 ]; then
	if command -v npm >/dev/null &&
		(cd "$BTT_ROOT/tests" && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; }); then
		node "$BTT_ROOT/tests/demo/tokenization.js" "ws://127.0.0.1:$port" ||
			echo "[btt] the tokenization demo did not load" >&2
		node "$BTT_ROOT/tests/demo/payfi.js" "ws://127.0.0.1:$port" ||
			echo "[btt] the PayFi demo did not load" >&2
		node "$BTT_ROOT/tests/demo/rewards.js" "ws://127.0.0.1:$port" ||
			echo "[btt] the patient rewards demo did not load" >&2
		node "$BTT_ROOT/tests/demo/collators.js" "ws://127.0.0.1:$port" ||
			echo "[btt] the collators demo did not load" >&2
		data="${BTT_DATA:-$(mktemp -d -t btt-workers-XXXXXX)}"
		node "$BTT_ROOT/tests/demo/depin-workers.js" "ws://127.0.0.1:$port" "$data" &
		demo_pid=$!
	else
		echo "[btt] no npm (Node.js >= 20): demo data not loaded (apt-get install nodejs npm)" >&2
	fi
fi
if [ "${BTT_STATUS_EVERY:-30}" != 0 ] && command -v node >/dev/null && [ -d "$BTT_ROOT/tests/node_modules" ]; then
	node "$BTT_ROOT/tests/demo/chain-status.js" "ws://127.0.0.1:$port" "$node_log" "${BTT_STATUS_EVERY:-30}" &
	status_pid=$!
fi
status=0
wait "$node_pid" || status=$?
if [ -z "$stopping" ]; then
	echo "[btt] btt-node exited (status $status); the last lines of $node_log:" >&2
	tail -n 20 "$node_log" >&2
fi
exit "$status"
