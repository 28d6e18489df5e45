#!/bin/bash
# Crash consistency of pending images with real SIGKILLs: a kill at every
# fault-injection point of building a pending image and of activating it
# (and during the recovery that follows), then activations killed at
# random instants; after each, the old image or the new one, whole
# (images_crash.py).
set -eu
exec python3 "$SWIM_SOURCE_DIR/tests/integration/images_crash.py" 60
