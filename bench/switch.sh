#!/usr/bin/env bash
# Upstream switch benchmark: what a listener hears when its relay's upstream dies, Floe versus
# icecast2, in the same run.
#
#   origin icecast2 <- ffmpeg (MP3 128 kbit/s CBR)
#     |-- middle1 (icecast2 relay) --+-- icecast2 edge: <relay> of middle1 (one upstream only)
#     |                              +-- Floe edge: upstreams = [middle1, middle2]
#     `-- middle2 (icecast2 relay) --'
#
# LISTENERS listeners on each edge (LoadGen, Icy-MetaData: 1) and one control listener on middle2.
# After the ramp and SETTLE seconds the measurement window opens; KILL_AT seconds into it middle1
# gets SIGKILL; RESTART_AFTER seconds later it is started again (0 = never); the window ends
# WINDOW seconds after it opened.
#
#   bash bench/switch.sh
#   LISTENERS=50 WINDOW=60 RESTART_AFTER=0 bash bench/switch.sh
#
# Environment (defaults in brackets):
#   LISTENERS        listeners per edge                                     [20]
#   SETTLE           seconds between the ramp's end and the window          [10]
#   WINDOW           measurement window, seconds                            [40]
#   KILL_AT          seconds into the window when middle1 is killed         [5]
#   RESTART_AFTER    seconds after the kill when middle1 restarts (0 = no)  [15]
#   PLAYER_MODEL     START_BYTES:BYTES_PER_SECOND of the modelled player    [65536:16000]
#   SERVERS          edges to test                                          [icecast2 floe]
#   FLOE_JAR, FLOE_JAVA_OPTS, FLOE_MOUNT, META_EVERY, RESULTS_DIR, KEEP_WORK=1: as compare.sh
#
# Everything listens on 127.0.0.1. All processes started here are stopped on exit.
set -euo pipefail
# One brace group: bash parses the whole script before running it.
{

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_TAG=switch
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
LISTENERS=${LISTENERS:-20}
SETTLE=${SETTLE:-10}
WINDOW=${WINDOW:-40}
KILL_AT=${KILL_AT:-5}
RESTART_AFTER=${RESTART_AFTER:-15}
PLAYER_MODEL=${PLAYER_MODEL:-65536:16000}
SERVERS=${SERVERS:-"icecast2 floe"}
RAMP=20

check_tools
(( KILL_AT < WINDOW )) || die "KILL_AT ($KILL_AT) must be inside the window ($WINDOW)"
ulimit -n 4096 2>/dev/null || true
make_work

# ---------------------------------------------------------------- origin and middles
start_origin
start_icecast_relay middle1 "$ORIGIN_PORT" 200
M1_PID=$RELAY_PID
M1_URL=$RELAY_URL
start_icecast_relay middle2 "$ORIGIN_PORT" 200
M2_URL=$RELAY_URL
M1_PORT=${M1_URL#http://127.0.0.1:}
M1_PORT=${M1_PORT%%/*}

# ---------------------------------------------------------------- edges under test
declare -A URL=() PID=() NOTE=()
FLOE_STATUS=
for server in $SERVERS; do
  case $server in
    icecast2)
      start_icecast_relay edge "$M1_PORT" $(( LISTENERS + 100 ))
      PID[icecast2]=$RELAY_PID
      URL[icecast2]=$RELAY_URL
      ;;
    floe)
      if [[ ! -f $FLOE_JAR ]]; then
        log "SKIP floe: $FLOE_JAR not found (build it: mvn -B -o -pl proxy -am package -DskipTests)"
        continue
      fi
      free_port
      port=$PORT
      URL[floe]="http://127.0.0.1:$port$FLOE_MOUNT"
      FLOE_STATUS="http://127.0.0.1:$port/status-json.xsl"
      # The multi-upstream CLI first; an older jar rejects a second URL, then a config file with
      # upstreams = [...] is used.
      # shellcheck disable=SC2086
      java $FLOE_JAVA_OPTS -jar "$FLOE_JAR" relay "$M1_URL" "$M2_URL" --mount "$FLOE_MOUNT" \
        --port "$port" --bind 127.0.0.1 >"$WORK/floe.log" 2>&1 &
      PID[floe]=$!
      PIDS+=("${PID[floe]}")
      NOTE[floe]="\`floe relay $M1_URL $M2_URL\`"
      # Bounded: until it listens or exits.
      for (( i = 0; i < 150; i++ )); do
        kill -0 "${PID[floe]}" 2>/dev/null || break
        [[ -n $(ss -Hltn "sport = :$port") ]] && break
        sleep 0.1
      done
      if ! kill -0 "${PID[floe]}" 2>/dev/null; then
        log "floe relay with two URLs exited ($(head -n 1 "$WORK/floe.log")): using a config file"
        cat >"$WORK/floe.conf" <<EOC
floe {
  server { bind = "127.0.0.1", port = $port }
  mounts = [ { path = "$FLOE_MOUNT", upstreams = ["$M1_URL", "$M2_URL"] } ]
}
EOC
        # shellcheck disable=SC2086
        java $FLOE_JAVA_OPTS -jar "$FLOE_JAR" run --config "$WORK/floe.conf" \
          >"$WORK/floe.log" 2>&1 &
        PID[floe]=$!
        PIDS+=("${PID[floe]}")
        NOTE[floe]="\`floe run --config\` with \`upstreams = [middle1, middle2]\` (this jar's CLI takes one URL)"
      fi
      log "floe pid ${PID[floe]} on 127.0.0.1:$port"
      if ! wait_stream "${URL[floe]}" 40 "${PID[floe]}"; then
        log "SKIP floe: it does not serve ${URL[floe]}; last lines of its log:"
        tail -n 10 "$WORK/floe.log" >&2 || true
        stop_pid "${PID[floe]}"
        unset 'PID[floe]' 'URL[floe]'
      fi
      ;;
    *) die "unknown server $server" ;;
  esac
done
(( ${#PID[@]} > 0 )) || die "no edge to test"

floe_status() { # one compact JSON object of the Floe mount's floe_* keys, or {}
  [[ -n ${PID[floe]:-} ]] || { echo '{}'; return; }
  curl -s -m 2 "$FLOE_STATUS" 2>/dev/null \
    | jq -c '[.icestats.source] | flatten | map(select(. != null)) | .[0] // {}
             | with_entries(select(.key | startswith("floe_")))' 2>/dev/null || echo '{}'
}

# ---------------------------------------------------------------- run
RAW=$WORK/results.jsonl
: >"$RAW"
declare -a LGS=()
run_loadgen() { # run_loadgen LABEL URL N
  local label=$1 url=$2 n=$3 sig=$WORK/sig-$1
  mkdir -p "$sig"
  loadgen --url "$url" --listeners "$n" --ramp "$RAMP" --settle "${SETTLE}s" \
    --duration "${WINDOW}s" --metadata true --threads 1 --player-model "$PLAYER_MODEL" \
    --label "$label" --json "$RAW" --signal-dir "$sig" --hold-max 5s \
    >"$sig/summary.txt" 2>"$sig/stderr.txt" &
  LGS+=("$!")
  PIDS+=("$!")
}
first=
for server in $SERVERS; do
  if [[ -n ${PID[$server]:-} ]]; then
    run_loadgen "$server" "${URL[$server]}" "$LISTENERS"
    first=${first:-$server}
  fi
done
run_loadgen middle2-control "$M2_URL" 1

limit=$(( LISTENERS / RAMP + SETTLE + 30 ))
for (( i = 0; i < limit * 10; i++ )); do
  [[ -f $WORK/sig-$first/window-start ]] && break
  sleep 0.1
done
[[ -f $WORK/sig-$first/window-start ]] || die "the load generators did not open their window"
log "window open ($WINDOW s); middle1 dies in $KILL_AT s"
STATUS_BEFORE=$(floe_status)
sleep "$KILL_AT"
kill -9 "$M1_PID"
wait "$M1_PID" 2>/dev/null || true   # reaps it quietly (no "Killed" line)
KILLED_AT=$(date +%T)
log "SIGKILL middle1 (pid $M1_PID)"
sleep 3
STATUS_AFTER_KILL=$(floe_status)
STATUS_AFTER_RESTART='{}'
RESTARTED=no
if (( RESTART_AFTER > 0 && KILL_AT + RESTART_AFTER < WINDOW )); then
  (( RESTART_AFTER > 3 )) && sleep $(( RESTART_AFTER - 3 ))
  start_icecast middle1
  M1_PID=$STARTED
  RESTARTED="yes, $RESTART_AFTER s after the kill"
  log "middle1 restarted (pid $M1_PID)"
fi
for (( i = 0; i < (WINDOW + 60) * 10; i++ )); do
  [[ -f $WORK/sig-$first/steady-end ]] && break
  sleep 0.1
done
STATUS_END=$(floe_status)
[[ $RESTARTED == no ]] || STATUS_AFTER_RESTART=$STATUS_END
for lg in "${LGS[@]}"; do
  wait "$lg" || log "a load generator exited with $?"
done
for s in $SERVERS middle2-control; do
  if [[ -f $WORK/sig-$s/summary.txt ]]; then
    log "== $s"
    cat "$WORK/sig-$s/summary.txt" >&2
  fi
done

# ---------------------------------------------------------------- table
mkdir -p "$RESULTS_DIR"
STAMP=$(date +%Y-%m-%d-%H%M)
OUT=$RESULTS_DIR/switch-$STAMP.md
cp "$RAW" "$RESULTS_DIR/switch-$STAMP.jsonl"

value() { # value LABEL JQ-EXPR
  jq -r --arg s "$1" "select(.label == \$s) | $2" "$RAW" | head -n 1
}
fmt() {
  local v=$1 digits=${2:-0}
  if [[ -z $v || $v == null || $v == -1 ]]; then echo "-"; else printf "%.${digits}f" "$v"; fi
}
cell() { # cell LABEL JQ-EXPR DIGITS
  if [[ $1 != middle2-control && -z ${PID[$1]:-} ]]; then echo "not run"; return; fi
  fmt "$(value "$1" "$2")" "${3:-0}"
}
row() { # row TITLE JQ-EXPR DIGITS
  printf '| %s | %s | %s | %s |\n' "$1" "$(cell icecast2 "$2" "${3:-0}")" \
    "$(cell floe "$2" "${3:-0}")" "$(cell middle2-control "$2" "${3:-0}")"
}
fstat() { # fstat JSON KEY
  local v
  v=$(jq -r --arg k "$2" '.[$k] // "-"' <<<"$1" 2>/dev/null || echo -)
  echo "${v:--}"
}

{
  echo "# Upstream switch: icecast2 vs Floe, $STAMP"
  echo
  machine_lines
  echo "- Origin icecast2 fed by ffmpeg (libmp3lame 128 kbit/s CBR, -re), title every ${META_EVERY}s; two icecast2 middles relay it"
  echo "- icecast2 edge: \`<relay>\` of middle1 (one upstream per relay); Floe edge: ${NOTE[floe]:-not run}"
  echo "- $LISTENERS listeners per edge (ramp ${RAMP}/s, settle ${SETTLE}s, Icy-MetaData: 1), 1 control listener on middle2; window ${WINDOW}s"
  echo "- middle1 SIGKILLed ${KILL_AT}s into the window ($KILLED_AT); restarted: $RESTARTED"
  echo "- Player model $PLAYER_MODEL: a player starts after ${PLAYER_MODEL%%:*} bytes of audio, then plays ${PLAYER_MODEL##*:} B/s; underrun = time its buffer was empty (audible silence). LoadGen listeners never reconnect: a closed listener stays silent to the end of the window."
  echo
  echo "| metric | icecast2 edge | Floe edge | control (middle2) |"
  echo "|---|---:|---:|---:|"
  row "listeners" '.opened'
  row "connected at end" '.connected_at_end'
  row "closed (reconnects needed)" '.failed'
  row "players started" '.players_started'
  row "longest silence per listener, p50 (ms)" '.silence_ms.p50'
  row "longest silence per listener, max (ms)" '.silence_ms.max'
  row "longest silence began, p50 (s after the kill)" "if .silence_start_ms.n == 0 then null else .silence_start_ms.p50 / 1000 - $KILL_AT end" 1
  row "longest silence began, max (s after the kill)" "if .silence_start_ms.n == 0 then null else .silence_start_ms.max / 1000 - $KILL_AT end" 1
  row "listeners with an underrun" '.underrun_listeners'
  row "underrun per listener, p50 (ms)" '.underrun_ms.p50'
  row "underrun per listener, max (ms)" '.underrun_ms.max'
  row "underrun, all listeners (s)" '.underrun_total_s' 1
  row "stalls (>1 s gaps)" '.stalls'
  row "audio rate p50 over the window (kbit/s)" '.rate_kbps.p50' 1
  row "metadata updates received" '.metadata_updates'
  echo
  if [[ -n ${PID[floe]:-} ]]; then
    echo "Floe status (\`floe_upstream_index\`, \`floe_switches\`, \`floe_gaps\`, \`floe_gap_bytes\`):"
    echo
    echo "| when | upstream index | switches | gaps | gap bytes |"
    echo "|---|---:|---:|---:|---:|"
    for pair in "before the kill|$STATUS_BEFORE" "3 s after the kill|$STATUS_AFTER_KILL" \
        "end of the window|$STATUS_END"; do
      j=${pair#*|}
      printf '| %s | %s | %s | %s | %s |\n' "${pair%%|*}" "$(fstat "$j" floe_upstream_index)" \
        "$(fstat "$j" floe_switches)" "$(fstat "$j" floe_gaps)" "$(fstat "$j" floe_gap_bytes)"
    done
    echo
  fi
  echo "Raw results: \`$(basename "$RESULTS_DIR")/switch-$STAMP.jsonl\`; command: \`bash bench/switch.sh\`."
} >"$OUT"

cat "$OUT"
log "table written to $OUT"
exit 0
}
