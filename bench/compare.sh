#!/usr/bin/env bash
# Side-by-side whole-process benchmark: icecast2 as a relay vs Floe as a relay, both relaying the
# same icecast2 origin (fed by ffmpeg, MP3 128 kbit/s CBR), measured with the same load generator.
#
#   bash bench/compare.sh                        # N = 1000 and 5000 listeners, both servers
#   LISTENERS=1000 SERVERS=icecast2 bash bench/compare.sh
#   LISTENERS=1000 SERVERS="icecast2 floe floe-hls" bash bench/compare.sh   # and HLS on Floe
#
# Environment (defaults in brackets):
#   LISTENERS        listener counts to run, ascending                      [1000 5000]
#   RAMP             connections opened per second                          [250]
#   SETTLE           seconds between the end of the ramp and the window     [5]
#   WINDOW           steady measurement window, seconds                     [30]
#   SERVERS          which relays to test                                   [icecast2 floe]
#                    floe-hls: the same Floe process, listeners as hls.js players on FLOE_MOUNT.m3u8
#                    (LoadGen --hls); it needs floe in SERVERS too
#   FLOE_JAR         Floe's jar                                             [proxy/target/floe.jar]
#   FLOE_JAVA_OPTS   JVM options for Floe                  [-Xmx64m -XX:+UseSerialGC]
#   FLOE_MOUNT       mount Floe serves                                      [/live]
#   LOADGEN_THREADS  selector threads of the load generator                 [cores/2]
#   META_EVERY       seconds between title updates on the origin (0 = off)  [10]
#   RESULTS_DIR      where the markdown table goes                          [bench/results]
#   KEEP_WORK=1      keep the temporary directory (configs, logs, raw JSON)
#
# Everything listens on 127.0.0.1. All processes started here are stopped on exit.
set -euo pipefail
# The whole script is one brace group, so bash parses it before running it: editing this file
# while a run is in progress cannot break that run.
{

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_TAG=compare
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
LISTENERS=${LISTENERS:-"1000 5000"}
RAMP=${RAMP:-250}
SETTLE=${SETTLE:-5}
WINDOW=${WINDOW:-30}
SERVERS=${SERVERS:-"icecast2 floe"}

check_tools

max_n=0
for n in $LISTENERS; do (( n > max_n )) && max_n=$n; done
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( $(ulimit -n) < max_n + 256 )); then
  die "ulimit -n is $(ulimit -n), too low for $max_n listeners"
fi

make_work

# ---------------------------------------------------------------- origin and source
start_origin

# ---------------------------------------------------------------- relays under test
declare -A URL=() PID=()
for server in $SERVERS; do
  case $server in
    icecast2)
      start_icecast_relay relay "$ORIGIN_PORT" $(( max_n + 1000 ))
      PID[icecast2]=$RELAY_PID
      URL[icecast2]=$RELAY_URL
      port=${RELAY_URL#http://127.0.0.1:}
      port=${port%%/*}
      log "icecast2 relay accept backlog: $(ss -Hltn "sport = :$port" | awk '{ print $3 }')"
      ;;
    floe)
      if [[ ! -f $FLOE_JAR ]]; then
        log "SKIP floe: $FLOE_JAR not found (build it: mvn -B -o -pl proxy -am package -DskipTests)"
        continue
      fi
      free_port
      port=$PORT
      # Every LoadGen listener connects from 127.0.0.1: exempt it from the per-address limit
      # (icecast2 has none), and lift max-clients as icecast2's <clients> is lifted above.
      cat >"$WORK/floe.conf" <<EOC
floe {
  server { bind = "127.0.0.1", port = $port, max-clients = $(( max_n + 1000 )),
           limits { exempt = ["127.0.0.1"] } }
  mounts = [ { path = "$FLOE_MOUNT", upstreams = ["http://127.0.0.1:$ORIGIN_PORT/live"] } ]
}
EOC
      # shellcheck disable=SC2086
      java $FLOE_JAVA_OPTS -jar "$FLOE_JAR" run --config "$WORK/floe.conf" \
        >"$WORK/floe.log" 2>&1 &
      PID[floe]=$!
      PIDS+=("${PID[floe]}")
      URL[floe]="http://127.0.0.1:$port$FLOE_MOUNT"
      log "floe pid ${PID[floe]} on 127.0.0.1:$port ($FLOE_JAVA_OPTS)"
      if wait_stream "${URL[floe]}" 40 "${PID[floe]}"; then
        log "floe accept backlog: $(ss -Hltn "sport = :$port" | awk '{ print $3 }')"
      else
        log "SKIP floe: it does not serve ${URL[floe]}; last lines of its log:"
        tail -n 10 "$WORK/floe.log" >&2 || true
        stop_pid "${PID[floe]}"
        unset 'PID[floe]' 'URL[floe]'
      fi
      ;;
    floe-hls) ;; # the floe process, set up below
    *) die "unknown server $server" ;;
  esac
done
if [[ " $SERVERS " == *" floe-hls "* ]]; then
  if [[ -n ${PID[floe]:-} ]]; then
    PID[floe-hls]=${PID[floe]}
    URL[floe-hls]=${URL[floe]}.m3u8
  else
    log "SKIP floe-hls: it runs on the floe process (SERVERS must name floe, and it must serve)"
  fi
fi
(( ${#PID[@]} > 0 )) || die "no server to test"

# ---------------------------------------------------------------- runs
RAW=$WORK/results.jsonl
: >"$RAW"
for n in $LISTENERS; do
  for server in $SERVERS; do
    [[ -n ${PID[$server]:-} ]] || continue
    pid=${PID[$server]}
    kill -0 "$pid" 2>/dev/null || die "$server (pid $pid) died"
    sig=$WORK/sig-$server-$n
    mkdir -p "$sig"
    log "run: $server, $n listeners, ramp $RAMP/s, settle ${SETTLE}s, window ${WINDOW}s"
    # Control: one listener on the origin over the same window, to tell a slow source (ffmpeg or
    # the origin starved of CPU) from a slow relay.
    loadgen --url "http://127.0.0.1:$ORIGIN_PORT/live" --listeners 1 --ramp 1000 \
      --settle "$(awk -v n="$n" -v r="$RAMP" -v s="$SETTLE" 'BEGIN { print n / r + s }')s" \
      --duration "${WINDOW}s" --label origin-reference --json "$sig/origin.json" \
      >"$sig/origin.txt" 2>&1 &
    ref=$!
    PIDS+=("$ref")
    overflows_before=$(listen_overflows)
    loadavg=$(cut -d' ' -f1 /proc/loadavg)
    mode=(--metadata true)
    [[ $server == floe-hls ]] && mode=(--hls)
    loadgen --url "${URL[$server]}" --listeners "$n" --ramp "$RAMP" \
      --settle "${SETTLE}s" --duration "${WINDOW}s" "${mode[@]}" \
      ${LOADGEN_THREADS:+--threads "$LOADGEN_THREADS"} \
      --pid "$pid" --clk-tck "$CLK_TCK" --label "$server" --json "$sig/result.json" \
      --signal-dir "$sig" --hold-max 120s | tee "$sig/summary.txt" &
    lg=$!
    PIDS+=("$lg")
    limit=$(( n / RAMP + SETTLE + WINDOW + 60 ))
    for (( i = 0; i < limit * 10; i++ )); do
      [[ -f $sig/steady-end ]] && break
      kill -0 "$lg" 2>/dev/null || break
      sleep 0.1
    done
    heap_kb=-1
    old_kb=-1
    if [[ -f $sig/steady-end && $server == floe* ]]; then
      # Heap after a full GC, taken while the listeners are still connected.
      if jcmd "$pid" GC.run >"$sig/gc.txt" 2>&1; then
        jcmd "$pid" GC.heap_info >>"$sig/gc.txt" 2>&1 || true
        heap_kb=$(jstat -gc "$pid" | awk 'NR==1{for(i=1;i<=NF;i++)h[$i]=i} NR==2{printf "%d", $h["S0U"]+$h["S1U"]+$h["EU"]+$h["OU"]}')
        # The old generation right after the full GC (GC.heap_info, printed by the same jcmd
        # session): what survived it. Eden refills between the GC and jstat, fast under HLS.
        old_kb=$(awk '/tenured generation|ParOldGen|PSOldGen/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }' "$sig/gc.txt")
      fi
    fi
    touch "$sig/release"
    wait "$lg" || log "load generator exited with $?"
    wait "$ref" || log "origin reference listener exited with $?"
    overflows=$(( $(listen_overflows) - overflows_before ))
    origin_rate=$(jq -r '.rate_kbps.p50' "$sig/origin.json" 2>/dev/null || echo -1)
    if [[ -s $sig/result.json ]]; then
      jq -c --argjson heap "${heap_kb:-"-1"}" --argjson old "${old_kb:-"-1"}" \
        --argjson ov "$overflows" \
        --argjson orate "${origin_rate:-"-1"}" --argjson load "$loadavg" \
        '.server.heap_after_gc_kb = $heap | .server.old_after_gc_kb = $old | .listen_overflows = $ov
         | .origin_rate_kbps = $orate | .loadavg_1m_at_start = $load' \
        "$sig/result.json" >>"$RAW"
    else
      log "no result for $server at $n listeners"
    fi
    # Let the server drop the closed connections before the next run.
    sleep 3
  done
done

# ---------------------------------------------------------------- table
mkdir -p "$RESULTS_DIR"
STAMP=$(date +%Y-%m-%d-%H%M)
OUT=$RESULTS_DIR/$STAMP.md
cp "$RAW" "$RESULTS_DIR/$STAMP.jsonl"

value() { # value SERVER N JQ-EXPR
  jq -r --arg s "$1" --argjson n "$2" "select(.label == \$s and .listeners == \$n) | $3" "$RAW" | head -n 1
}
fmt() { # number formatting: "-" for absent or negative
  local v=$1 digits=${2:-1}
  if [[ -z $v || $v == null || $v == -1 ]]; then echo "-"; else printf "%.${digits}f" "$v"; fi
}
ratio() { # ratio FLOE ICECAST2
  local a=$1 b=$2
  if [[ $a == - || $a == pending || $b == - ]]; then echo "-"; return; fi
  awk -v a="$a" -v b="$b" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'
}
row() { # row LABEL N JQ-EXPR DIGITS
  local label=$1 n=$2 expr=$3 digits=${4:-1} ic fl
  ic=$(fmt "$(value icecast2 "$n" "$expr")" "$digits")
  if [[ -n ${PID[floe]:-} ]]; then fl=$(fmt "$(value floe "$n" "$expr")" "$digits"); else fl="pending"; fi
  [[ -n ${PID[icecast2]:-} ]] || ic="-"
  printf '| %s | %s | %s | %s |\n' "$label" "$ic" "$fl" "$(ratio "$fl" "$ic")"
}
text_row() {
  local label=$1 n=$2 expr=$3 ic fl
  ic=$(value icecast2 "$n" "$expr"); [[ -n ${PID[icecast2]:-} ]] || ic="-"
  if [[ -n ${PID[floe]:-} ]]; then fl=$(value floe "$n" "$expr"); else fl="pending"; fi
  printf '| %s | %s | %s | |\n' "$label" "${ic:--}" "${fl:--}"
}

# hls_row LABEL N JQ-EXPR DIGITS: icecast2 ICY, Floe ICY, Floe HLS, and the HLS ratios.
hls_row() {
  local label=$1 n=$2 expr=$3 digits=${4:-1} ic fl hl
  ic=$(fmt "$(value icecast2 "$n" "$expr")" "$digits"); [[ -n ${PID[icecast2]:-} ]] || ic="-"
  fl=$(fmt "$(value floe "$n" "$expr")" "$digits")
  hl=$(fmt "$(value floe-hls "$n" "$expr")" "$digits")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$ic" "$fl" "$hl" "$(ratio "$hl" "$fl")" \
    "$(ratio "$hl" "$ic")"
}
hls_table() {
  local n=$1
  echo "### $n listeners: HLS on Floe vs ICY"
  echo
  echo "Floe HLS: each listener an hls.js player (LoadGen --hls) on \`$FLOE_MOUNT.m3u8\` of the same"
  echo "Floe process, run after its ICY run (so its peak RSS includes that run). Its stalls are"
  echo "player-model underruns (a 1:16000 player fed whole segments); ICY stalls are >1 s gaps."
  echo
  echo "| metric | icecast2 ICY | Floe ICY | Floe HLS | HLS / Floe ICY | HLS / icecast2 ICY |"
  echo "|---|---:|---:|---:|---:|---:|"
  hls_row "connected at end" "$n" '.connected_at_end' 0
  hls_row "failed" "$n" '.failed' 0
  hls_row "server CPU (µs per s per listener)" "$n" '.server.cpu_us_per_s_per_listener' 2
  hls_row "server CPU (ms per listener-minute)" "$n" '.server.cpu_ms_per_listener_minute' 3
  hls_row "server CPU (% of one core)" "$n" 'if .server.cpu_s < 0 then -1 else .server.cpu_s / .server.cpu_window_s * 100 end'
  hls_row "stalls" "$n" '.stalls' 0
  hls_row "player underrun, listeners" "$n" '.underrun_listeners' 0
  hls_row "audio rate min (kbit/s)" "$n" '.rate_kbps.min'
  hls_row "audio rate p50 (kbit/s)" "$n" '.rate_kbps.p50'
  hls_row "server peak RSS, VmHWM (MiB)" "$n" 'if .server.vmhwm_kb < 0 then -1 else .server.vmhwm_kb / 1024 end'
  hls_row "server RSS at window end (MiB)" "$n" 'if .server.vmrss_kb < 0 then -1 else .server.vmrss_kb / 1024 end'
  hls_row "heap after full GC (MiB)" "$n" 'if .server.heap_after_gc_kb < 0 then -1 else .server.heap_after_gc_kb / 1024 end'
  hls_row "old generation right after the full GC (MiB)" "$n" 'if (.server.old_after_gc_kb // -1) < 0 then -1 else .server.old_after_gc_kb / 1024 end'
  hls_row "server threads" "$n" '.server.threads' 0
  hls_row "HLS requests (whole run)" "$n" '.hls.requests // -1' 0
  hls_row "HLS segments (whole run)" "$n" '.hls.segments // -1' 0
  hls_row "HLS segments out of order / skips" "$n" 'if .hls then .hls.out_of_order + .hls.skips else -1 end' 0
  hls_row "load generator CPU (% of one core)" "$n" '.gen_cpu_pct' 0
  hls_row "1-min load average at start" "$n" '.loadavg_1m_at_start' 2
  echo
}

{
  echo "# Floe vs icecast2 relay: $STAMP"
  echo
  machine_lines
  echo "- Origin: icecast2 fed by ffmpeg (libmp3lame 128 kbit/s CBR, 44.1 kHz stereo, -re), title update every ${META_EVERY}s"
  echo "- icecast2 relay: burst-size 65536, queue-size 524288, clients $(( max_n + 1000 )); Floe: \`java $FLOE_JAVA_OPTS -jar floe.jar run --config\` (one mount relaying the origin, max-clients $(( max_n + 1000 )), 127.0.0.1 exempt from per-address limits)"
  echo "- Load: ramp ${RAMP}/s, settle ${SETTLE}s, steady window ${WINDOW}s, Icy-MetaData: 1, strict ICY parsing"
  echo
  for n in $LISTENERS; do
    echo "## $n listeners"
    echo
    echo "| metric | icecast2 | Floe | Floe/icecast2 |"
    echo "|---|---:|---:|---:|"
    row "connected at end" "$n" '.connected_at_end' 0
    row "failed" "$n" '.failed' 0
    row "still waiting for a head at end" "$n" '.pending_at_end' 0
    text_row "failures by reason" "$n" '.failed_by_reason | to_entries | map("\(.key)=\(.value)") | join(" ")'
    row "TTFB p50 (ms)" "$n" '.ttfb_ms.p50'
    row "TTFB p99 (ms)" "$n" '.ttfb_ms.p99'
    row "TTFB max (ms)" "$n" '.ttfb_ms.max'
    row "first 64 KiB audio p50 (ms)" "$n" '.first64k_ms.p50'
    row "first 64 KiB audio p99 (ms)" "$n" '.first64k_ms.p99'
    row "first 64 KiB audio max (ms)" "$n" '.first64k_ms.max'
    row "stalls (>1 s gaps)" "$n" '.stalls' 0
    row "audio rate min (kbit/s)" "$n" '.rate_kbps.min'
    row "audio rate p1 (kbit/s)" "$n" '.rate_kbps.p1'
    row "audio rate p50 (kbit/s)" "$n" '.rate_kbps.p50'
    row "origin reference listener rate (kbit/s)" "$n" '.origin_rate_kbps'
    row "connect p99 (ms)" "$n" '.connect_ms.p99'
    row "connect max (ms)" "$n" '.connect_ms.max'
    row "listen-queue overflows (system-wide)" "$n" '.listen_overflows' 0
    row "server CPU (µs per s per listener)" "$n" '.server.cpu_us_per_s_per_listener' 2
    row "server CPU (% of one core)" "$n" 'if .server.cpu_s < 0 then -1 else .server.cpu_s / .server.cpu_window_s * 100 end'
    row "server peak RSS, VmHWM (MiB)" "$n" 'if .server.vmhwm_kb < 0 then -1 else .server.vmhwm_kb / 1024 end'
    row "server RSS at window end (MiB)" "$n" 'if .server.vmrss_kb < 0 then -1 else .server.vmrss_kb / 1024 end'
    row "server threads" "$n" '.server.threads' 0
    row "heap after full GC (MiB)" "$n" 'if .server.heap_after_gc_kb < 0 then -1 else .server.heap_after_gc_kb / 1024 end'
    row "load generator CPU (% of one core)" "$n" '.gen_cpu_pct' 0
    row "1-min load average at start" "$n" '.loadavg_1m_at_start' 2
    echo
    if [[ -n ${PID[floe-hls]:-} ]]; then
      hls_table "$n"
    fi
  done
  echo "Raw results: \`$(basename "$RESULTS_DIR")/$STAMP.jsonl\` (one JSON line per run)."
} >"$OUT"

cat "$OUT"
log "table written to $OUT"
exit 0
}
