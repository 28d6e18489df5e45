#!/bin/bash
# libswim.so must export swim_* symbols and nothing else.
set -eu
lib=$1
others=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^swim_' || true)
if [ -n "$others" ]; then
	echo "symbols exported by $lib that are not swim_*:" >&2
	echo "$others" >&2
	exit 1
fi
n=$(nm -D --defined-only "$lib" | grep -c ' swim_')
echo "$lib exports $n swim_* symbols and nothing else"
