#!/usr/bin/env bash
# Measures Floe's footprint under given JVM flags: resident memory (VmRSS sampled every second,
# and VmHWM) and CPU (% of one core, from /proc/PID/stat) over a window, in three states:
#   no-mounts   floe run with no mounts (the package's shipped config)
#   idle        relaying one 128 kbit/s MP3 mount from a local icecast2, no listeners
#   listeners   the same with N listeners (curl, Icy-MetaData: 1)
#   swarm       a swarm peer (home node) with N listeners, among PEERS other peers of a Floe
#               origin fed by ffmpeg over PUT (issue 6's "10 listeners and 8 peers"); every
#               peer dials up to PEERS partners; the row says how many partners it had
# The origin is icecast2 fed by ffmpeg (sine tones, libmp3lame 128k CBR), as in bench/compare.sh.
#
#   bash packaging/footprint.sh                        # the default Pi flags, 60 s windows
#   FLOE_JAVA_OPTS="-Xmx64m -XX:+UseSerialGC" WINDOW=30 bash packaging/footprint.sh
#
# Environment: FLOE_JAR [proxy/target/floe.jar], FLOE_JAVA_OPTS [the .deb's defaults],
# WINDOW seconds [60], LISTENERS [10], SETTLE seconds before each window [20], PEERS [8]
# (0: no swarm row).
# Everything listens on 127.0.0.1; every process started here is stopped on exit.
set -euo pipefail
{
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FLOE_JAR=${FLOE_JAR:-$ROOT/proxy/target/floe.jar}
FLOE_JAVA_OPTS=${FLOE_JAVA_OPTS:-"-Xms16m -Xmx64m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -Xss512k -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1"}
WINDOW=${WINDOW:-60}
LISTENERS=${LISTENERS:-10}
SETTLE=${SETTLE:-20}
PEERS=${PEERS:-8}
ICECAST_USER=${ICECAST_USER:-icecast2}
ICECAST_GROUP=${ICECAST_GROUP:-icecast}
CLK_TCK=$(getconf CLK_TCK)
PW=fp-$$

log() { printf '[footprint %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
for tool in icecast2 ffmpeg java curl ss; do command -v "$tool" >/dev/null || die "$tool missing"; done
[[ -f $FLOE_JAR ]] || die "$FLOE_JAR missing: mvn -B -o -pl proxy -am package -DskipTests"

WORK=$(mktemp -d /tmp/floe-footprint.XXXXXX)
chmod 755 "$WORK"
declare -a PIDS=()
cleanup() {
  local i
  for (( i = ${#PIDS[@]} - 1; i >= 0; i-- )); do kill "${PIDS[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 10000 ))
    if [[ -z $(ss -Hltn "sport = :$p") ]]; then echo "$p"; return; fi
  done
  die "no free port"
}
wait_port() { # wait_port PORT PID
  for _ in $(seq 1 300); do
    [[ -n $(ss -Hltn "sport = :$1") ]] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

wait_stream() { # wait_stream URL: until URL answers 200 (a live stream never ends: 1 s reads)
  for _ in $(seq 1 60); do
    [[ $(curl -s -o /dev/null -m 1 -w '%{http_code}' "$1" || true) == 200 ]] && return 0
    sleep 0.5
  done
  return 1
}

# ---- origin: icecast2 + ffmpeg
OPORT=$(free_port)
mkdir -p "$WORK/ice/log"
chown -R "$ICECAST_USER:$ICECAST_GROUP" "$WORK/ice"
cat >"$WORK/ice/icecast.xml" <<XML
<icecast>
  <limits><clients>100</clients><sources>2</sources><burst-size>65536</burst-size></limits>
  <authentication><source-password>$PW</source-password><admin-user>admin</admin-user>
    <admin-password>$PW</admin-password></authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>$OPORT</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <paths><basedir>/usr/share/icecast2</basedir><logdir>$WORK/ice/log</logdir>
    <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot></paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>2</loglevel></logging>
  <security><chroot>0</chroot><changeowner><user>$ICECAST_USER</user><group>$ICECAST_GROUP</group></changeowner></security>
</icecast>
XML
icecast2 -c "$WORK/ice/icecast.xml" >"$WORK/ice/stdout.log" 2>&1 &
PIDS+=("$!")
wait_port "$OPORT" "$!" || die "icecast2 did not start"
ffmpeg -hide_banner -nostdin -loglevel error -re \
  -f lavfi -i "sine=frequency=440:sample_rate=44100" \
  -ac 2 -c:a libmp3lame -b:a 128k -content_type audio/mpeg \
  -f mp3 "icecast://source:$PW@127.0.0.1:$OPORT/live" >"$WORK/ffmpeg.log" 2>&1 &
PIDS+=("$!")
wait_stream "http://127.0.0.1:$OPORT/live" || die "origin not streaming: $(tail -n 5 "$WORK/ffmpeg.log")"

# ---- measurement: sample PID over WINDOW seconds; prints one markdown row
measure() { # measure LABEL PID
  local label=$1 pid=$2 t0 t1 sum=0 n=0 max=0 rss
  t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  for _ in $(seq 1 "$WINDOW"); do
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
    sum=$(( sum + rss )); n=$(( n + 1 )); (( rss > max )) && max=$rss
    sleep 1
  done
  t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  local hwm threads
  hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
  threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
  awk -v l="$label" -v s="$sum" -v n="$n" -v m="$max" -v h="$hwm" -v c=$(( t1 - t0 )) \
      -v hz="$CLK_TCK" -v w="$WINDOW" -v th="$threads" 'BEGIN {
    printf "| %s | %.1f | %.1f | %.1f | %.2f | %d |\n", l, s / n / 1024, m / 1024, h / 1024,
      c / hz / w * 100, th }'
}

start_listeners() { # start_listeners PORT: LISTENERS curl players of /live, until the window ends
  for _ in $(seq 1 "$LISTENERS"); do
    curl -s -o /dev/null -H 'Icy-MetaData: 1' -m $(( SETTLE + WINDOW + 30 )) \
      "http://127.0.0.1:$1/live" &
    PIDS+=("$!")
  done
}

start_floe() { # start_floe CONFIG -> sets FPID, FPORT
  java $FLOE_JAVA_OPTS -jar "$FLOE_JAR" run --config "$1" >"$WORK/floe.log" 2>&1 &
  FPID=$!
  PIDS+=("$FPID")
  wait_port "$FPORT" "$FPID" || { tail -n 20 "$WORK/floe.log" >&2; die "floe did not start"; }
}

echo "Flags: \`$FLOE_JAVA_OPTS\`; window ${WINDOW}s after ${SETTLE}s; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(java -version 2>&1 | head -n1)"
echo
echo "| state | RSS mean (MiB) | RSS max (MiB) | VmHWM (MiB) | CPU (% of one core) | threads |"
echo "|---|---:|---:|---:|---:|---:|"

# no mounts
FPORT=$(free_port)
printf 'floe { server { bind = "127.0.0.1", port = %d }, mounts = [] }\n' "$FPORT" >"$WORK/empty.conf"
start_floe "$WORK/empty.conf"
sleep "$SETTLE"
measure "no mounts" "$FPID"
kill "$FPID"; wait "$FPID" 2>/dev/null || true

# one mount relayed
FPORT=$(free_port)
printf 'floe { server { bind = "127.0.0.1", port = %d }, mounts = [ { path = "/live", upstream = "http://127.0.0.1:%d/live" } ] }\n' \
  "$FPORT" "$OPORT" >"$WORK/relay.conf"
start_floe "$WORK/relay.conf"
wait_stream "http://127.0.0.1:$FPORT/live" || die "floe not streaming: $(tail -n 5 "$WORK/floe.log")"
sleep "$SETTLE"
measure "1 mount, 0 listeners" "$FPID"
start_listeners "$FPORT"
sleep "$SETTLE"
measure "1 mount, $LISTENERS listeners" "$FPID"

kill "$FPID"; wait "$FPID" 2>/dev/null || true

# a swarm peer with listeners and partners
if (( PEERS > 0 )); then
  SPORT=$(free_port)
  cat >"$WORK/origin.conf" <<CONF
floe { server { bind = "127.0.0.1", port = $SPORT, hostname = "127.0.0.1", source-password = "$PW" },
  mounts = [ { path = "/live", swarm { role = origin, key-file = "$WORK/origin.key" } } ] }
CONF
  java $FLOE_JAVA_OPTS -jar "$FLOE_JAR" run --config "$WORK/origin.conf" >"$WORK/origin.log" 2>&1 &
  PIDS+=("$!")
  wait_port "$SPORT" "$!" || { tail -n 20 "$WORK/origin.log" >&2; die "origin did not start"; }
  ffmpeg -hide_banner -nostdin -loglevel error -re \
    -f lavfi -i "sine=frequency=330:sample_rate=44100" \
    -ac 2 -c:a libmp3lame -b:a 128k -content_type audio/mpeg \
    -f mp3 "icecast://source:$PW@127.0.0.1:$SPORT/live" >"$WORK/ffmpeg-swarm.log" 2>&1 &
  PIDS+=("$!")
  JOIN=$(grep -o -m1 'http://[^ ]*#floe=[a-z0-9]*' "$WORK/origin.log") || die "no join address"
  for i in $(seq 0 "$PEERS"); do
    FPORT=$(free_port)
    cat >"$WORK/peer-$i.conf" <<CONF
floe { server { bind = "127.0.0.1", port = $FPORT, hostname = "127.0.0.1" },
  mounts = [ { path = "/live", swarm { role = peer, join = "$JOIN", upload = 512kbit, partners = $PEERS } } ] }
CONF
    java $FLOE_JAVA_OPTS -jar "$FLOE_JAR" run --config "$WORK/peer-$i.conf" >"$WORK/peer-$i.log" 2>&1 &
    FPID=$!
    PIDS+=("$FPID")
    wait_port "$FPORT" "$FPID" || { tail -n 20 "$WORK/peer-$i.log" >&2; die "peer $i did not start"; }
    sleep 1
  done
  # the last peer started is measured
  wait_stream "http://127.0.0.1:$FPORT/live" || die "peer not streaming: $(tail -n 5 "$WORK/peer-$PEERS.log")"
  start_listeners "$FPORT"
  sleep "$SETTLE"
  partners=$(curl -s "http://127.0.0.1:$FPORT/status-json.xsl" | python3 -c \
    'import json,sys; s=json.load(sys.stdin)["icestats"]["source"]; s=s[0] if isinstance(s,list) else s; print(len(s["floe_swarm"]["partners"]))' \
    2>/dev/null || echo "?")
  measure "swarm peer, $LISTENERS listeners, $partners partners (of $PEERS other peers)" "$FPID"
fi
}
