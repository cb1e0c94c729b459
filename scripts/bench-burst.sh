#!/usr/bin/env bash
# Burst benchmark of the compute workers: `btt-node --dev`, five real `btt-worker` processes and
# a clinic posting 50 tasks across Routine, Priority and Emergency at once. Prints, from the
# chain's events and block timestamps, the p50 / p99 / max time from each assignee's
# `TaskAssigned` block to its commitment's block, per urgency, and the share of Emergency
# commitments inside their commit window (tests/bench/burst.js). Figures, not a test.
#
# Usage: scripts/bench-burst.sh [--workers N] [--tasks N] [--emergency N] [--priority N] [--batch N]
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
[ -x "$BTT_NODE" ] || btt_build_node
btt_build_workers
cd "$BTT_ROOT/tests"
{ [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; } || npm ci --no-audit --no-fund --loglevel=error
echo "[btt] load before the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
BTT_NODE="$BTT_NODE" node bench/burst.js "$@"
