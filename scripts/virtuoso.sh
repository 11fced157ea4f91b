#!/usr/bin/env bash
# A private Virtuoso Open Source server for kgmap's output: its own database
# directory, bound to 127.0.0.1 only, a random dba password, stopped by its
# PID.  Needs the Debian package virtuoso-opensource-7-bin (the binary
# alone: the full package would start a system-wide server).
#
#   scripts/virtuoso.sh serve [DIR [FILE...]]  start, load FILEs (default
#                                              out/diplomacy.trig) and print
#                                              the query endpoint (default
#                                              DIR out/virtuoso)
#   scripts/virtuoso.sh start DIR [HTTP_PORT]  create DIR, start the server,
#                                              wait until it answers; prints
#                                              the endpoints
#   scripts/virtuoso.sh load DIR FILE...       load .ttl .nt .trig .nq over
#                                              the Graph Store Protocol
#   scripts/virtuoso.sh env DIR                the variables for kgmap's
#                                              sparql targets (eval them)
#   scripts/virtuoso.sh stop DIR               stop it (SIGTERM, its PID)
#
# DIR holds virtuoso.ini, the database, virtuoso.pid, virtuoso.port (the
# HTTP port) and password (the dba password, mode 0600).  Without
# HTTP_PORT a free port is chosen.  Loading needs Node.js and `npm ci`
# (scripts/gsp-load.mjs, with n3 from npm).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "virtuoso: $*" >&2; exit 1; }

# A TCP port nobody listens on (bash's /dev/tcp connects or fails).
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

write_ini() {
  local dir=$1 sqlport=$2 httpport=$3
  cat >"$dir/virtuoso.ini" <<EOF
; Written by kgmap's scripts/virtuoso.sh: a private server on 127.0.0.1.
[Database]
DatabaseFile       = $dir/db/virtuoso.db
ErrorLogFile       = $dir/db/virtuoso.log
LockFile           = $dir/db/virtuoso.lck
TransactionFile    = $dir/db/virtuoso.trx
xa_persistent_file = $dir/db/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/db/virtuoso-temp.db
TransactionFile    = $dir/db/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:$sqlport
; CaseMode 2: without it ASK answers come back in the wrong shape
CaseMode           = 2
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
ServerThreads      = 4
DirsAllowed        = $dir
CheckpointInterval = 60

[HTTPServer]
ServerPort         = 127.0.0.1:$httpport
ServerRoot         = $dir/www
MaxClientConnections = 4
ServerThreads      = 4

[SPARQL]
ResultSetMaxRows   = 1000000
MaxQueryExecutionTime = 120
EOF
}

http_port() { cat "$1/virtuoso.port"; }

# Wait until the SPARQL endpoint answers (at most about 60 s).
wait_up() {
  local dir=$1 pid=$2 port
  port=$(http_port "$dir")
  for _ in $(seq 1 240); do
    kill -0 "$pid" 2>/dev/null || return 1
    if curl -sf -m 5 -o /dev/null "http://127.0.0.1:$port/sparql?query=ASK%7B%7D"; then return 0; fi
    sleep 0.25
  done
  return 1
}

# The dba password: a fresh random one, set over isql, then checked over
# HTTP (isql-vt exits 0 even when a statement failed).
set_password() {
  local dir=$1 sqlport=$2 pw port code
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  isql-vt "127.0.0.1:$sqlport" dba dba exec="USER_SET_PASSWORD('dba', '$pw');" >/dev/null 2>&1 || true
  port=$(http_port "$dir")
  code=$(curl -s -m 30 -o /dev/null -w '%{http_code}' --digest -u "dba:$pw" -X POST \
    -H 'Content-Type: application/n-triples' --data-binary '' \
    "http://127.0.0.1:$port/sparql-graph-crud-auth?graph=urn:kgmap:password-check")
  case $code in 200 | 201 | 204) ;; *) return 1 ;; esac
  (umask 077 && printf '%s\n' "$pw" >"$dir/password")
}

cmd_start() {
  [ $# -ge 1 ] || die "usage: virtuoso.sh start DIR [HTTP_PORT]"
  command -v virtuoso-t >/dev/null || die "virtuoso-t not found (apt-get install virtuoso-opensource-7-bin)"
  mkdir -p "$1"
  local dir sqlport httpport pid
  dir=$(cd "$1" && pwd)
  if [ -f "$dir/virtuoso.pid" ] && kill -0 "$(cat "$dir/virtuoso.pid")" 2>/dev/null; then
    die "already running in $dir (pid $(cat "$dir/virtuoso.pid"))"
  fi
  httpport=${2:-$(free_port)}
  sqlport=$(free_port)
  mkdir -p "$dir/db" "$dir/www"
  [ -f "$dir/virtuoso.ini" ] || write_ini "$dir" "$sqlport" "$httpport"
  sqlport=$(sed -n 's/^ServerPort *= *127.0.0.1:\([0-9]*\)$/\1/p' "$dir/virtuoso.ini" | head -1)
  httpport=$(sed -n 's/^ServerPort *= *127.0.0.1:\([0-9]*\)$/\1/p' "$dir/virtuoso.ini" | tail -1)
  echo "$httpport" >"$dir/virtuoso.port"
  (cd "$dir" && exec virtuoso-t +foreground +configfile "$dir/virtuoso.ini" \
    >"$dir/virtuoso.out" 2>&1 </dev/null) &
  pid=$!
  echo "$pid" >"$dir/virtuoso.pid"
  if ! wait_up "$dir" "$pid"; then
    kill "$pid" 2>/dev/null || true
    tail -5 "$dir/virtuoso.out" "$dir/db/virtuoso.log" >&2 2>/dev/null || true
    die "the server did not come up (log: $dir/db/virtuoso.log)"
  fi
  if [ ! -s "$dir/password" ] && ! set_password "$dir" "$sqlport"; then
    kill "$pid" 2>/dev/null || true
    die "could not set the dba password"
  fi
  echo "virtuoso: running, pid $pid, data in $dir"
  echo "  SPARQL endpoint:     http://127.0.0.1:$httpport/sparql"
  echo "  Graph Store (auth):  http://127.0.0.1:$httpport/sparql-graph-crud-auth  (user dba, password in $dir/password)"
}

cmd_load() {
  [ $# -ge 2 ] || die "usage: virtuoso.sh load DIR FILE..."
  local dir=$1; shift
  [ -s "$dir/password" ] || die "$dir: no server started there"
  eval "$(cmd_env "$dir")"
  # Virtuoso has no Graph Store default graph: default-graph statements go
  # to the named graph urn:kgmap:default (queries see the union).
  node "$here/gsp-load.mjs" --default-graph urn:kgmap:default \
    "$KGMAP_SPARQL_ENDPOINT" "$@"
}

cmd_env() {
  [ $# -ge 1 ] || die "usage: virtuoso.sh env DIR"
  local dir=$1
  printf 'export KGMAP_SPARQL_ENDPOINT=%q\n' "http://127.0.0.1:$(http_port "$dir")/sparql-graph-crud-auth"
  printf 'export KGMAP_SPARQL_QUERY=%q\n' "http://127.0.0.1:$(http_port "$dir")/sparql"
  printf 'export KGMAP_SPARQL_USER=dba\n'
  printf 'export KGMAP_SPARQL_PASSWORD=%q\n' "$(cat "$dir/password")"
}

cmd_stop() {
  [ $# -ge 1 ] || die "usage: virtuoso.sh stop DIR"
  local pid
  pid=$(cat "$1/virtuoso.pid" 2>/dev/null) || die "$1: no virtuoso.pid"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$1/virtuoso.pid"
}

cmd_serve() {
  local dir=${1:-out/virtuoso}
  [ $# -gt 0 ] && shift
  [ $# -gt 0 ] || set -- out/diplomacy.trig
  cmd_start "$dir"
  cmd_load "$dir" "$@"
  echo "Ask it: curl -H 'Accept: text/csv' --data-urlencode query@queries/meetings.rq http://127.0.0.1:$(http_port "$dir")/sparql"
  echo "Stop it: bash scripts/virtuoso.sh stop $dir"
}

case ${1:-} in
  serve | start | load | env | stop) c=$1; shift; "cmd_$c" "$@" ;;
  *) die "usage: virtuoso.sh serve|start|load|env|stop DIR ..." ;;
esac
