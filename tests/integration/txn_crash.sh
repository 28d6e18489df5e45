#!/bin/bash
# Crash consistency with real SIGKILLs: a kill at every fault-injection
# point of install, upgrade, downgrade and remove (and during the recovery
# that follows), then 200 transactions killed at random instants; after
# each, the host must be exactly before or exactly after (txn_crash.py).
set -eu
exec python3 "$SWIM_SOURCE_DIR/tests/integration/txn_crash.py" 200
