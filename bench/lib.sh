# Shared functions of the whole-process benchmarks (bench/compare.sh, bench/switch.sh).
# Source it after setting ROOT and LOG_TAG; it defines configuration defaults, process tracking,
# ports, icecast2 configs and the origin (icecast2 fed by ffmpeg). Everything listens on 127.0.0.1.
# shellcheck shell=bash

FLOE_JAR=${FLOE_JAR:-$ROOT/proxy/target/floe.jar}
FLOE_JAVA_OPTS=${FLOE_JAVA_OPTS:-"-Xmx64m -XX:+UseSerialGC"}
FLOE_MOUNT=${FLOE_MOUNT:-/live}
META_EVERY=${META_EVERY:-10}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/bench/results}
BENCH_JAR=$ROOT/bench/target/floe-bench.jar
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:-"-Xms256m -Xmx512m -XX:+UseSerialGC"}
ICECAST_USER=${ICECAST_USER:-icecast2}
ICECAST_GROUP=${ICECAST_GROUP:-icecast}
CLK_TCK=$(getconf CLK_TCK)
SOURCE_PW=bench-source-$$
ADMIN_PW=bench-admin-$$

log() { printf '[%s %s] %s\n' "${LOG_TAG:-bench}" "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# check_tools: fails unless the tools, the bench jar and the icecast2 user are present.
check_tools() {
  local tool
  for tool in icecast2 ffmpeg java jq curl ss; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
  done
  [[ -f $BENCH_JAR ]] || die "$BENCH_JAR missing: run mvn -B -o -pl bench -am package -DskipTests"
  id "$ICECAST_USER" >/dev/null 2>&1 || die "user $ICECAST_USER (from the icecast2 package) not found"
}

# make_work: creates WORK, the temporary directory, and installs the cleanup traps.
make_work() {
  WORK=$(mktemp -d /tmp/floe-bench.XXXXXX)
  chmod 755 "$WORK"
  PIDS=()
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}

stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  local i
  for (( i = ${#PIDS[@]} - 1; i >= 0; i-- )); do
    stop_pid "${PIDS[i]}"
  done
  if [[ ${KEEP_WORK:-0} == 1 ]]; then
    log "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}

# A TCP port on 127.0.0.1 with no listener, from a range clear of the ephemeral ports.
declare -A TAKEN=()
# Sets PORT (not run in a subshell, so that TAKEN is kept).
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 10000 ))
    [[ -n ${TAKEN[$p]:-} ]] && continue
    if [[ -z $(ss -Hltn "sport = :$p") ]]; then
      TAKEN[$p]=1
      PORT=$p
      return 0
    fi
  done
  die "no free port found"
}

# System-wide TcpExt ListenOverflows (SYNs dropped because an accept queue was full).
listen_overflows() {
  awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) k[i] = $i; h = 1 }
                    else for (i = 1; i <= NF; i++) if (k[i] == "ListenOverflows") print $i }' \
    /proc/net/netstat
}

loadgen() {
  # shellcheck disable=SC2086
  java $LOADGEN_JAVA_OPTS -cp "$BENCH_JAR" dev.floe.bench.load.LoadGen "$@"
}

# wait_stream URL TRIES [PID]: waits until URL serves a valid ICY stream (bounded), or fails,
# early if PID has exited.
wait_stream() {
  local url=$1 tries=$2 pid=${3:-} i
  for i in $(seq 1 "$tries"); do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      echo "process $pid exited" >"$WORK/probe.out"
      break
    fi
    if loadgen --probe --url "$url" --timeout 3s >"$WORK/probe.out" 2>&1; then
      log "$(cat "$WORK/probe.out") ($url)"
      return 0
    fi
    sleep 0.5
  done
  log "$url not serving: $(tail -n 1 "$WORK/probe.out")"
  return 1
}

# icecast_config NAME PORT CLIENTS [RELAY_FROM_PORT]
icecast_config() {
  local name=$1 port=$2 clients=$3 origin=${4:-}
  local dir=$WORK/$name
  mkdir -p "$dir/log"
  chown -R "$ICECAST_USER:$ICECAST_GROUP" "$dir"
  local relay=""
  if [[ -n $origin ]]; then
    relay="
  <relay>
    <server>127.0.0.1</server>
    <port>$origin</port>
    <mount>/live</mount>
    <local-mount>/live</local-mount>
    <on-demand>0</on-demand>
    <relay-shoutcast-metadata>1</relay-shoutcast-metadata>
  </relay>"
  fi
  cat >"$dir/icecast.xml" <<EOC
<icecast>
  <location>loopback</location>
  <admin>bench@localhost</admin>
  <hostname>127.0.0.1</hostname>
  <limits>
    <clients>$clients</clients>
    <sources>4</sources>
    <queue-size>524288</queue-size>
    <client-timeout>30</client-timeout>
    <header-timeout>15</header-timeout>
    <source-timeout>10</source-timeout>
    <burst-on-connect>1</burst-on-connect>
    <burst-size>65536</burst-size>
  </limits>
  <authentication>
    <source-password>$SOURCE_PW</source-password>
    <relay-password>$SOURCE_PW</relay-password>
    <admin-user>admin</admin-user>
    <admin-password>$ADMIN_PW</admin-password>
  </authentication>
  <listen-socket>
    <port>$port</port>
    <bind-address>127.0.0.1</bind-address>
  </listen-socket>$relay
  <fileserve>1</fileserve>
  <paths>
    <basedir>/usr/share/icecast2</basedir>
    <logdir>$dir/log</logdir>
    <webroot>/usr/share/icecast2/web</webroot>
    <adminroot>/usr/share/icecast2/admin</adminroot>
  </paths>
  <logging>
    <accesslog>access.log</accesslog>
    <errorlog>error.log</errorlog>
    <loglevel>2</loglevel>
  </logging>
  <security>
    <chroot>0</chroot>
    <changeowner>
      <user>$ICECAST_USER</user>
      <group>$ICECAST_GROUP</group>
    </changeowner>
  </security>
</icecast>
EOC
}

# start_icecast NAME: starts icecast2 on WORK/NAME/icecast.xml; sets STARTED to its pid.
start_icecast() {
  local name=$1
  icecast2 -c "$WORK/$name/icecast.xml" >>"$WORK/$name/stdout.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

# start_icecast_relay NAME UPSTREAM_PORT CLIENTS: an icecast2 relaying 127.0.0.1:UPSTREAM_PORT/live
# on a free port; sets RELAY_PID and RELAY_URL, or dies. icecast2 2.4.4 was once seen to exit
# silently right after its relay started (after answering an early probe with 404): retry a few
# times rather than give up.
start_icecast_relay() {
  local name=$1 upstream=$2 clients=$3 attempt port
  for attempt in 1 2 3; do
    free_port
    port=$PORT
    icecast_config "$name" "$port" "$clients" "$upstream"
    start_icecast "$name"
    RELAY_PID=$STARTED
    RELAY_URL="http://127.0.0.1:$port/live"
    log "icecast2 $name pid $RELAY_PID on 127.0.0.1:$port, relaying :$upstream"
    sleep 1
    if wait_stream "$RELAY_URL" 40 "$RELAY_PID"; then
      return 0
    fi
    log "icecast2 $name attempt $attempt failed; logs kept in $WORK/$name-failed-$attempt"
    stop_pid "$RELAY_PID"
    mv "$WORK/$name" "$WORK/$name-failed-$attempt"
  done
  die "icecast2 $name does not serve /live"
}

# start_origin: the origin icecast2 on a free port, fed by ffmpeg (two sine tones mixed, libmp3lame
# 128 kbit/s CBR, 44.1 kHz stereo, -re), with a title update every META_EVERY seconds (0 = off).
# Sets ORIGIN_PORT and ORIGIN_PID.
start_origin() {
  local i
  free_port
  ORIGIN_PORT=$PORT
  icecast_config origin "$ORIGIN_PORT" 100
  start_icecast origin
  ORIGIN_PID=$STARTED
  log "origin icecast2 pid $ORIGIN_PID on 127.0.0.1:$ORIGIN_PORT"
  for i in $(seq 1 50); do
    [[ -n $(ss -Hltn "sport = :$ORIGIN_PORT") ]] && break
    kill -0 "$ORIGIN_PID" 2>/dev/null || die "origin exited: $(cat "$WORK/origin/stdout.log")"
    sleep 0.1
  done

  ffmpeg -hide_banner -nostdin -loglevel warning -re \
    -f lavfi -i "sine=frequency=440:sample_rate=44100" \
    -f lavfi -i "sine=frequency=554:sample_rate=44100" \
    -filter_complex "[0:a][1:a]amix=inputs=2,aformat=channel_layouts=stereo[a]" -map "[a]" \
    -c:a libmp3lame -b:a 128k -ar 44100 -content_type audio/mpeg -ice_name floe-bench \
    -f mp3 "icecast://source:$SOURCE_PW@127.0.0.1:$ORIGIN_PORT/live" \
    >"$WORK/ffmpeg.log" 2>&1 &
  FFMPEG_PID=$!
  PIDS+=("$FFMPEG_PID")
  wait_stream "http://127.0.0.1:$ORIGIN_PORT/live" 40 \
    || die "origin mount not up: $(tail -n 5 "$WORK/ffmpeg.log")"

  if (( META_EVERY > 0 )); then
    (
      # Bounded: stops after 2000 updates at most, or when the script kills it.
      for i in $(seq 1 2000); do
        curl -s -o /dev/null -m 2 -u "admin:$ADMIN_PW" \
          "http://127.0.0.1:$ORIGIN_PORT/admin/metadata?mount=/live&mode=updinfo&song=Floe+bench+title+$i" || true
        sleep "$META_EVERY"
      done
    ) &
    PIDS+=("$!")
  fi
}

# machine_line: one markdown bullet describing the machine and the software.
machine_lines() {
  echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
  echo "- icecast2: $(icecast2 -v 2>&1 | head -n1); Java: $(java -version 2>&1 | head -n1); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}
