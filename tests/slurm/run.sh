#!/usr/bin/env bash
# Sharded runs on a real scheduler: starts a single-node Slurm cluster
# (munged, slurmctld and slurmd in the foreground, in a private temporary
# directory, in a network namespace of its own that has only the loopback
# interface), submits scripts/slurm/kgmap-slurm.sh's 4-task job array and
# merge job over a generated corpus, waits for them, and checks that the
# merged graph equals the single-process graph (rdfcmp).  The same with
# GNU parallel (scripts/parallel/kgmap-parallel.sh, local jobs) always
# runs.  Stops everything it started.  Needs root (slurmd starts jobs as
# their user) and unshare(1): without them the Slurm part is skipped with
# the reason.  Prints "slurm: N passed, M failed".
set -u
KGMAP=$(realpath "${KGMAP:-build/kgmap}")
GEN=$(realpath "${GEN:-build/bench/gen}")
TOOLS=$(realpath "${TOOLS:-build/tools}")
root=$(pwd)
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# Re-run inside a new network namespace: only lo, brought up here.
if [ -z "${KG_SLURM_NETNS:-}" ] && [ "$(id -u)" -eq 0 ] &&
  command -v unshare >/dev/null && unshare --net true 2>/dev/null; then
  KG_SLURM_NETNS=1 exec unshare --net "$BASH" "$0" "$@"
fi
netns=${KG_SLURM_NETNS:-}
# Slurm resolves 127.0.0.1 with AI_ADDRCONFIG, which glibc refuses when
# the only IPv4 address is a loopback one: give lo a second, private
# address (still nothing but the loopback interface in this namespace).
[ -n "$netns" ] && ip link set lo up && ip addr add 10.254.0.1/32 dev lo

tmp=$(mktemp -d /tmp/kgmap-slurm.XXXXXX)
chmod 700 "$tmp"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# The corpus and the single-process graph.
maps=("$root"/mappings/diplomacy/*.yml)
src=../../out/articles.yml
"$GEN" -f jsonl 400 >"$tmp/corpus.jsonl"
args=(-s "$src=$tmp/corpus.jsonl" "${maps[@]}")
"$KGMAP" -f nquads -o "$tmp/single.nq" "${args[@]}" || bad "single run: exit $?"

same_graph() { # NAME FILE
  if "$TOOLS/rdfcmp" "$tmp/single.nq" "$2" >"$tmp/cmp" 2>&1 &&
    [ "$(wc -l <"$2")" = "$(wc -l <"$tmp/single.nq")" ]; then ok; else
    bad "$1: merged graph differs from the single run: $(head -2 "$tmp/cmp")"; fi
}

# GNU parallel, local jobs (the SSH form is the same with -S hosts).
if command -v parallel >/dev/null; then
  if bash "$root/scripts/parallel/kgmap-parallel.sh" -n 4 -k "$KGMAP" \
    -o "$tmp/parallel.nq" -- "${args[@]}" 2>"$tmp/perr"; then
    same_graph "GNU parallel" "$tmp/parallel.nq"
  else bad "GNU parallel: exit $? ($(head -2 "$tmp/perr"))"; fi
else
  bad "GNU parallel is not installed (scripts/install-deps.sh)"
fi

skip() { echo "skip slurm: $1"; echo "slurm: $pass passed, $fail failed"; [ $fail -eq 0 ]; exit; }
[ "$(id -u)" -eq 0 ] || skip "not root: slurmd must start jobs as their user"
for c in munged slurmctld slurmd sbatch sinfo; do
  command -v $c >/dev/null || skip "$c is not installed (scripts/install-deps.sh)"
done
[ -n "$netns" ] || echo "note: no network namespace (unshare failed); the daemons listen on this host's ports"

# munge: a key and a socket of our own.
dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$tmp/munge.key"
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/log"
munged -F --force --key-file="$tmp/munge.key" --socket="$tmp/munge.sock" \
  --pid-file="$tmp/munged.pid" --log-file="$tmp/log/munged.log" \
  --seed-file="$tmp/munge.seed" &
pids+=($!)
port=$((20000 + RANDOM % 20000))
cat >"$tmp/slurm.conf" <<CONF
ClusterName=kgmaptest
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=kgnode NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=kgnode Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
for i in $(seq 50); do [ -S "$tmp/munge.sock" ] && break; sleep 0.1; done
slurmctld -D -i -f "$SLURM_CONF" 2>"$tmp/log/slurmctld.err" &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N kgnode 2>"$tmp/log/slurmd.err" &
pids+=($!)
state=
for i in $(seq 120); do
  state=$(sinfo -h -N -o %t 2>/dev/null | head -1)
  [ "$state" = idle ] && break
  sleep 0.5
done
if [ "$state" != idle ]; then
  bad "the Slurm node did not come up (state '$state'): $(tail -n 3 "$tmp/log/slurmctld.log" "$tmp/log/slurmd.log" 2>&1 | tr '\n' ' ')"
else
  ok
  if timeout 300 bash "$root/scripts/slurm/kgmap-slurm.sh" -n 4 -k "$KGMAP" \
    -w "$tmp/work" -o "$tmp/slurm.nq" -- "${args[@]}" 2>"$tmp/serr"; then
    same_graph Slurm "$tmp/slurm.nq"
    n=$(ls "$tmp/work"/shard-*.nq 2>/dev/null | wc -l)
    [ "$n" -eq 4 ] && ok || bad "Slurm: $n shard outputs, expected 4"
  else
    bad "Slurm: kgmap-slurm.sh failed: $(head -3 "$tmp/serr") $(cat "$tmp/work"/*.log 2>/dev/null | head -5)"
  fi
  # A failing task fails the whole run, and no merged output is written.
  if bash "$root/scripts/slurm/kgmap-slurm.sh" -n 2 -k "$KGMAP" -w "$tmp/work2" \
    -o "$tmp/fail.nq" -- -s "$src=$tmp/none.jsonl" "${maps[@]}" 2>/dev/null ||
    [ -e "$tmp/fail.nq" ]; then
    bad "Slurm: a failing task did not fail the run"
  else ok; fi
fi
echo "slurm: $pass passed, $fail failed"
[ $fail -eq 0 ]
