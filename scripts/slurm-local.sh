#!/usr/bin/env bash
# A one-node Slurm on this machine, for the study integration test (freqbias sweep --slurm) and for
# trying a sweep on a Slurm before a cluster. Root only (it installs packages and runs the daemons as
# root); nothing is written to /etc/slurm: the config, spool and logs live in a state folder, and the
# clients find the config through SLURM_CONF.
#
#   scripts/slurm-local.sh start [STATE]  install slurm-wlm and munge when missing, write STATE/slurm.conf
#                                         (CPUs from nproc, memory from /proc/meminfo), start munged
#                                         (unless one runs), slurmctld and slurmd, wait until the node is
#                                         idle; then: export SLURM_CONF=STATE/slurm.conf
#   scripts/slurm-local.sh stop [STATE]   stop the daemons that start started, by their process ids
#   scripts/slurm-local.sh run -- CMD…    start in a new state folder, run CMD with SLURM_CONF set, and
#                                         stop the daemons whatever happens (exit, error, signal)
#
# STATE defaults to ${TMPDIR:-/tmp}/freqbias-slurm.
set -euo pipefail

DEFAULT_STATE="${TMPDIR:-/tmp}/freqbias-slurm"

log() { echo "slurm-local: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

install_if_missing() {
  local missing=0
  for bin in slurmctld slurmd sbatch sinfo munged munge; do
    command -v "$bin" >/dev/null 2>&1 || missing=1
  done
  [ "$missing" = 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "slurm-wlm and munge are missing and installing them needs root"
  log "installing slurm-wlm and munge (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq >/dev/null || die "apt-get update failed"
  timeout 900 apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null ||
    die "apt-get install slurm-wlm munge failed"
}

# the pid in a pid file, if that process is alive and is the named program
live_pid() {
  local file=$1 name=$2 pid
  [ -s "$file" ] || return 1
  pid=$(tr -dc 0-9 <"$file")
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ] && echo "$pid"
}

wait_for_file() {
  local file=$1 seconds=$2
  for _ in $(seq $((seconds * 10))); do
    [ -s "$file" ] && return 0
    sleep 0.1
  done
  return 1
}

start() {
  local state=$1
  [ "$(id -u)" = 0 ] || die "run as root (the daemons run as root here)"
  install_if_missing
  mkdir -p "$state/slurmctld" "$state/slurmd"
  state=$(cd "$state" && pwd)
  local host cpus mem
  # the short name, as slurmd calls itself; addresses are given as 127.0.0.1, so that no name lookup
  # (a CI machine's /etc/hosts) can stand in the way
  host=$(hostname -s 2>/dev/null || uname -n | cut -d. -f1)
  cpus=$(nproc)
  # 80% of the memory available now, in MB (slurmd drains a node that has less than RealMemory)
  mem=$(awk '/^MemAvailable:/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
  [ -n "$mem" ] && [ "$mem" -ge 256 ] || mem=256

  # munge: a key, then munged unless one already answers
  if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null 2>&1; then mungekey --create --keyfile=/etc/munge/munge.key --force
    else dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; fi
    chmod 400 /etc/munge/munge.key
  fi
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "munged already runs; using it"
  else
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    munged --force --pid-file="$state/munged.pid.daemon" 2>"$state/munged.err" ||
      die "munged did not start: $(tail -n 3 "$state/munged.err")"
    wait_for_file "$state/munged.pid.daemon" 10 || die "munged wrote no pid file"
    cp "$state/munged.pid.daemon" "$state/munged.pid" # ours: stop stops it
    munge -n | unmunge >/dev/null || die "munge -n | unmunge fails"
  fi

  cat >"$state/slurm.conf" <<EOF
# a one-node Slurm for freqbias (scripts/slurm-local.sh); the state is in $state
ClusterName=freqbias-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=$state/slurmctld
SlurmdSpoolDir=$state/slurmd
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$state/slurm.conf"
  slurmctld -f "$SLURM_CONF" || die "slurmctld did not start: $(tail -n 5 "$state/slurmctld.log" 2>/dev/null)"
  wait_for_file "$state/slurmctld.pid" 20 || die "slurmctld wrote no pid file: $(tail -n 5 "$state/slurmctld.log" 2>/dev/null)"
  slurmd -f "$SLURM_CONF" || die "slurmd did not start: $(tail -n 5 "$state/slurmd.log" 2>/dev/null)"
  wait_for_file "$state/slurmd.pid" 20 || die "slurmd wrote no pid file: $(tail -n 5 "$state/slurmd.log" 2>/dev/null)"

  local node=""
  for _ in $(seq 120); do
    node=$(sinfo -h -N -o %T 2>/dev/null | head -n 1 || true)
    case "$node" in
      idle*) break ;;
      down* | drain*) scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 0.5
  done
  case "$node" in
    idle*) log "node $host idle ($cpus CPUs, ${mem} MB); SLURM_CONF=$SLURM_CONF" ;;
    *)
      log "slurmctld.log:"
      tail -n 20 "$state/slurmctld.log" >&2 || true
      log "slurmd.log:"
      tail -n 20 "$state/slurmd.log" >&2 || true
      die "the node is not idle after 60 s (state: ${node:-none})"
      ;;
  esac
}

stop_one() {
  local file=$1 name=$2 pid
  pid=$(live_pid "$file" "$name") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    [ -d "/proc/$pid" ] || break
    sleep 0.1
  done
  if [ -d "/proc/$pid" ]; then
    log "$name ($pid) did not stop in 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  log "stopped $name ($pid)"
}

stop() {
  local state=$1
  [ -d "$state" ] || return 0
  if [ -s "$state/slurm.conf" ] && live_pid "$state/slurmctld.pid" slurmctld >/dev/null; then
    # jobs of this cluster only (SLURM_CONF is ours), so that no task outlives its slurmd
    SLURM_CONF="$state/slurm.conf" timeout 10 scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
  fi
  stop_one "$state/slurmd.pid" slurmd
  stop_one "$state/slurmctld.pid" slurmctld
  stop_one "$state/munged.pid" munged
}

case "${1:-}" in
  start)
    [ $# -le 2 ] || die "usage: $0 start [STATE]"
    # a start that fails halfway stops what it started
    trap 'stop "${2:-$DEFAULT_STATE}"' EXIT
    start "${2:-$DEFAULT_STATE}"
    trap - EXIT
    log "to use it: export SLURM_CONF=$(cd "${2:-$DEFAULT_STATE}" && pwd)/slurm.conf; to stop it: $0 stop ${2:-}"
    ;;
  stop)
    [ $# -le 2 ] || die "usage: $0 stop [STATE]"
    stop "${2:-$DEFAULT_STATE}"
    ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || die "usage: $0 run -- COMMAND…"
    STATE=$(mktemp -d "${TMPDIR:-/tmp}/freqbias-slurm.XXXXXX")
    child=""
    cleanup() {
      local rc=$?
      trap - EXIT INT TERM
      if [ -n "$child" ] && [ -d "/proc/$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
      stop "$STATE"
      # the state folder is this script's own: gone after a success, kept (with the logs) after a failure
      if [ "$rc" = 0 ]; then rm -rf "$STATE"; else log "state and logs kept in $STATE"; fi
      exit "$rc"
    }
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    start "$STATE"
    export SLURM_CONF="$STATE/slurm.conf"
    # in the background, so that a signal to this script is handled at once (the trap stops the daemons)
    "$@" &
    child=$!
    rc=0
    wait "$child" || rc=$?
    child=""
    exit "$rc"
    ;;
  *)
    die "usage: $0 start [STATE] | stop [STATE] | run -- COMMAND…"
    ;;
esac
