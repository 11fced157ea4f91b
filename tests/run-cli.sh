#!/usr/bin/env bash
# Command-line behaviour of kgmap, and the README's examples.  Run from the
# repository root with KGMAP set (see Makefile).  Prints one line per check
# and "cli: N passed, M failed".
set -u
KGMAP=$(cd "$(dirname "${KGMAP:-build/kgmap}")" && pwd)/$(basename "${KGMAP:-build/kgmap}")
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# expect NAME STATUS STDERR-SUBSTRING -- command...
expect() {
  local name=$1 want=$2 text=$3; shift 4
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne "$want" ]; then bad "$name: exit $rc, expected $want ($(head -2 "$tmp/err"))"; return; fi
  if [ -n "$text" ] && ! grep -qF -- "$text" "$tmp/err" "$tmp/out"; then
    bad "$name: output lacks '$text': $(head -2 "$tmp/err")"; return
  fi
  ok
}

ex=$root/mappings/example.yml
expect help 0 "Usage: kgmap" -- "$KGMAP" --help
expect version 0 "kgmap 0." -- "$KGMAP" --version
expect no-mapping 2 "no mapping file given" -- "$KGMAP"
expect unknown-option 2 "unknown option '--frobnicate'" -- "$KGMAP" --frobnicate "$ex"
expect missing-value 2 "needs a value" -- "$KGMAP" "$ex" -o
expect bad-format 2 "unknown format 'rdfxml'" -- "$KGMAP" -f rdfxml "$ex"
expect bad-external 2 "-e needs NAME=VALUE" -- "$KGMAP" -e novalue "$ex"
expect unknown-source 2 "no source named 'nosuch'" -- "$KGMAP" -s nosuch=x.json "$ex"
expect missing-mapping 1 "$tmp/none.yml" -- "$KGMAP" "$tmp/none.yml"
if [ -c /dev/full ]; then
  # A device is written in place (a rename would replace it).
  expect full-disk 1 "No space left on device" -- "$KGMAP" -o /dev/full -f ntriples "$ex"
  [ -c /dev/full ] || bad "full-disk: -o /dev/full replaced the device"
  if "$KGMAP" -f ntriples "$ex" >/dev/full 2>"$tmp/err"; then
    bad "stdout-full: exit 0 writing to /dev/full"
  else ok; fi
else
  echo "skip full-disk: this machine has no /dev/full device"
fi
# A write that fails half-way (file size limit, EFBIG): exit 1, no file.
expect size-limit 1 "write error" -- bash -c 'ulimit -f 1; exec "$0" -o "$1" -f ntriples "$2"' "$KGMAP" "$tmp/big.nt" "$ex"
if [ -e "$tmp/big.nt" ] || compgen -G "$tmp/big.nt.kgmap-*" >/dev/null; then
  bad "size-limit: a partial output or temporary file was left"
else ok; fi
# -o through a symbolic link replaces the file and keeps the link.
echo old >"$tmp/target.nt"; ln -s target.nt "$tmp/link.nt"
expect symlink-out 0 "" -- "$KGMAP" -o "$tmp/link.nt" "$ex"
if [ ! -L "$tmp/link.nt" ] || ! grep -q "person" "$tmp/target.nt"; then
  bad "symlink-out: the link was replaced or its target not written"
else ok; fi
if "$KGMAP" -f ntriples "$ex" >&- 2>"$tmp/err"; then
  bad "stdout-closed: exit 0 with stdout closed"
else ok; fi

# The reader is chosen by extension or content; --mapping-format forces it.
# An RML mapping under a name that says neither (.map) is read by content,
# read as RML when forced, and is a YAML error at its line when forced to
# YARRRML; a YARRRML file forced to RML is a Turtle error at its line.
legacy=$root/tests/cases/rml/legacy
mkdir -p "$tmp/mf" && cp "$legacy"/*.json "$tmp/mf/" && cp "$legacy/mapping.ttl" "$tmp/mf/legacy.map"
"$KGMAP" -f nquads "$legacy/mapping.ttl" | sort >"$tmp/mf/want.nq"
for how in "" "--mapping-format rml"; do
  # shellcheck disable=SC2086 # $how is zero or two words
  if "$KGMAP" $how -f nquads "$tmp/mf/legacy.map" 2>"$tmp/err" | sort | cmp -s - "$tmp/mf/want.nq" && [ -s "$tmp/mf/want.nq" ]; then ok
  else bad "mapping-format '$how': legacy.map is not read as the RML it is ($(head -1 "$tmp/err"))"; fi
done
expect mapping-format-yarrrml 1 "legacy.map:3:1: error: invalid YAML" -- "$KGMAP" --mapping-format yarrrml "$tmp/mf/legacy.map"
expect mapping-format-rml 1 "mapping.yml:5:1: error:" -- "$KGMAP" --mapping-format rml "$root/tests/cases/yarrrml/formats/mapping.yml"
expect mapping-format-yarrrml-yml 0 "" -- "$KGMAP" --mapping-format yarrrml -f nquads "$root/tests/cases/yarrrml/formats/mapping.yml"

# Graph maps: Turtle cannot hold them (an error naming the way out), and
# --merge-graphs writes the same statements in the default graph.
g=$root/tests/cases/yarrrml/graphs/mapping.yml
expect graphs-turtle 1 "--merge-graphs" -- "$KGMAP" -f turtle "$g"
expect merge-graphs 0 "" -- "$KGMAP" --merge-graphs -f ntriples -o "$tmp/merged.nt" "$g"
"$KGMAP" -f nquads "$g" | sed -E 's/ <[^>]*> \.$/ ./' | sort -u >"$tmp/dropped.nt"
if [ -s "$tmp/dropped.nt" ] && diff -q "$tmp/dropped.nt" <(sort -u "$tmp/merged.nt") >/dev/null; then ok
else bad "merge-graphs: not the N-Quads' statements without their graphs"; fi

# -o is atomic: an error leaves an existing file untouched and no temp file.
echo "precious" >"$tmp/keep.nt"
printf 'mappings:\n  x:\n    subjct: ex:a\n' >"$tmp/bad.yml"
expect bad-mapping 1 "subjct" -- "$KGMAP" -o "$tmp/keep.nt" "$tmp/bad.yml"
if [ "$(cat "$tmp/keep.nt")" != precious ] || compgen -G "$tmp/keep.nt.kgmap-*" >/dev/null; then
  bad "atomic-output: the existing file was changed or a temporary file left"
else ok; fi
expect write-ok 0 "" -- "$KGMAP" -o "$tmp/good.nt" "$ex"
# Worker processes cannot share the targets' files: -j 2 with targets is refused
# before anything is written.
cp -r "$root/tests/targets/two-files" "$tmp/tgt"
expect jobs-targets 2 "runs with -j 1" -- "$KGMAP" -j 2 -o "$tmp/tgt/default.nt" "$tmp/tgt/mapping.yml"
[ -z "$(find "$tmp/tgt/out" -type f ! -name .keep)" ] && [ ! -e "$tmp/tgt/default.nt" ] && ok || bad "jobs-targets: a file was written"
if serdi -i ntriples "$tmp/good.nt" >/dev/null 2>&1 && [ -s "$tmp/good.nt" ]; then ok
else bad "write-ok: -o good.nt is not valid N-Triples (format from the extension)"; fi

# Same input, byte-identical output.
"$KGMAP" "$ex" >"$tmp/a.ttl" 2>/dev/null; "$KGMAP" "$ex" >"$tmp/b.ttl" 2>/dev/null
if cmp -s "$tmp/a.ttl" "$tmp/b.ttl" && [ -s "$tmp/a.ttl" ]; then ok; else bad "deterministic output"; fi

# The README's examples, run as written from mappings/ with kgmap on PATH.
mkdir -p "$tmp/bin" && ln -sf "$KGMAP" "$tmp/bin/kgmap"
n=0
while IFS= read -r line; do
  n=$((n + 1))
  (cd "$root/mappings" && PATH="$tmp/bin:$PATH" bash -c "set -e; $line" >"$tmp/ex.out" 2>"$tmp/ex.err")
  rc=$?
  rm -f "$root/mappings/graph.ttl" "$root/mappings/graph.nt" "$root/mappings/graph.dot"
  if [ $rc -ne 0 ]; then bad "readme example $n ($line): exit $rc: $(head -2 "$tmp/ex.err")"; else ok; fi
done < <(sed -n '/<!-- examples/,/<!-- end examples/p' README.md | grep '^kgmap ')
[ $n -ge 3 ] || bad "README examples: found only $n"

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
