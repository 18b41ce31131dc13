#!/bin/sh
# kill -9 durability with encryption at rest on (issue 14): a real `aviso node` is killed
# with SIGKILL ROUNDS times (default 100) while envelopes are being published through its
# API; after each restart every envelope it acknowledged must still be there. Prints one
# line: kills, acknowledged envelopes, lost, time. Exits non-zero if any was lost.
#
#   scripts/kill9.sh [ROUNDS]
set -eu
rounds="${1:-100}"
AVISO_KILL9_ROUNDS="$rounds" cargo test -q -p aviso --test e2e_atrest \
    acknowledged_envelopes_survive_kill_9 -- --nocapture 2>&1 | tee /dev/stderr | grep "^kill -9:"
