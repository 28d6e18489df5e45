# Shared by the swimd integration tests (sourced): a root with two users,
# swimd started on a free loopback port, stopped with SIGTERM.
#   alice / secret  admin
#   bob   / ropass  readonly
# Needs SWIMD_BIN and SWIM_SOURCE_DIR (set by ctest).

fail() { echo "FAIL: $*" >&2; exit 1; }

# swimd_setup DIR: DIR/root with the two users.
swimd_setup() {
	SWIMD_ROOT=$1/root
	mkdir -p "$SWIMD_ROOT/etc/swim"
	echo secret | "$SWIMD_BIN" --root "$SWIMD_ROOT" --add-user alice --role admin >/dev/null \
		|| fail "adding alice"
	echo ropass | "$SWIMD_BIN" --root "$SWIMD_ROOT" --add-user bob --role readonly >/dev/null \
		|| fail "adding bob"
}

# swimd_start [ARGS...]: starts swimd in the foreground in the background
# with the test classes; sets SWIMD_PID, SWIMD_PORT, SWIMD_LOG, SWIMD_URL
# (and SWIMD_TLS_PORT when ARGS has a --tls-listen 127.0.0.1:0).
swimd_start() {
	SWIMD_LOG=$SWIMD_ROOT/swimd.log
	"$SWIMD_BIN" --root "$SWIMD_ROOT" --foreground --listen 127.0.0.1:0 \
		--schema-dir "$SWIM_SOURCE_DIR/schema" --test-classes \
		--system-name testhost "$@" 2>"$SWIMD_LOG" &
	SWIMD_PID=$!
	for _ in $(seq 100); do
		SWIMD_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:0 (port \([0-9]*\), HTTP).*/\1/p' "$SWIMD_LOG")
		SWIMD_TLS_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:0 (port \([0-9]*\), HTTPS).*/\1/p' "$SWIMD_LOG")
		[ -n "$SWIMD_PORT" ] && break
		kill -0 "$SWIMD_PID" 2>/dev/null || fail "swimd did not start: $(cat "$SWIMD_LOG")"
		sleep 0.1
	done
	[ -n "$SWIMD_PORT" ] || fail "swimd did not report its port: $(cat "$SWIMD_LOG")"
	SWIMD_URL=http://127.0.0.1:$SWIMD_PORT
}

# swimd_stop: SIGTERM; swimd must stop cleanly (exit 0, "stopped").
swimd_stop() {
	local rc=0
	kill -TERM "$SWIMD_PID" 2>/dev/null || fail "swimd is not running: $(tail -5 "$SWIMD_LOG")"
	wait "$SWIMD_PID" || rc=$?
	[ $rc -eq 0 ] || fail "swimd exited with $rc after SIGTERM: $(tail -5 "$SWIMD_LOG")"
	grep -q 'info: stopped' "$SWIMD_LOG" || fail "no 'stopped' in the log"
	SWIMD_PID=
}

swimd_cleanup() {
	if [ -n "${SWIMD_PID:-}" ]; then
		kill -KILL "$SWIMD_PID" 2>/dev/null
		wait "$SWIMD_PID" 2>/dev/null
	fi
}
