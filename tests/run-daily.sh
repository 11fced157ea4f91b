#!/usr/bin/env bash
# kgmap day to day: the progress line (on a terminal via script(1), and
# with --progress into a file), the -v summary against the output it
# summarises, the man page (groff -ww, man -l, every option of --help in
# it), make install into a temporary DESTDIR, and the bash completion
# (sourced and called as bash would).  Run from the repository root with
# KGMAP set.  Prints "daily: N passed, M failed".
set -u
KGMAP=$(realpath "${KGMAP:-build/kgmap}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
check() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi; }
long_options() { "$KGMAP" --help | grep -o -- '--[a-z][a-z-]*' | sort -u; }

# ---- progress ---------------------------------------------------------------
# bench/quick.yml over 150,000 generated records (10 triples each): over a
# second of work, so a terminal sees several progress lines.
cp bench/quick.yml "$tmp/"
awk 'BEGIN { for (i = 0; i < 150000; i++)
  printf "{\"id\": %d, \"name\": \"P %d\", \"post\": \"p\", \"born\": 1950, \"country\": \"C1\", \"aliases\": [\"A\"], \"knows\": 1, \"note\": \"n\"}\n", i, i }' \
  >"$tmp/people.jsonl"
want_triples=$("$KGMAP" -q -f ntriples "$tmp/quick.yml" | wc -l)
script -qec "'$KGMAP' -f ntriples -o '$tmp/out.nt' '$tmp/quick.yml'" /dev/null \
  >"$tmp/tty" </dev/null
lines=$(tr '\r' '\n' <"$tmp/tty" | grep -cE '^kgmap: [0-9,]+ records, [0-9,]+ triples, [0-9,]+ triples/s, [0-9]+\.[0-9] s.\[K$')
[ "$lines" -ge 1 ] && ok || bad "no progress line on a terminal: $(head -c 300 "$tmp/tty" | od -c | head -5)"
check "the terminal's last bytes clear the line" "$(tail -c 4 "$tmp/tty" | od -An -c | tr -s ' ')" " \r 033 [ K"
script -qec "'$KGMAP' -q -f ntriples -o '$tmp/out.nt' '$tmp/quick.yml'" /dev/null >"$tmp/tty" </dev/null
check "-q: no progress line on a terminal" "$(wc -c <"$tmp/tty")" "0"
"$KGMAP" -f ntriples -o "$tmp/out.nt" "$tmp/quick.yml" 2>"$tmp/err"
check "no progress line when stderr is a file" "$(wc -c <"$tmp/err")" "0"
"$KGMAP" --progress -f ntriples -o "$tmp/out.nt" "$tmp/quick.yml" 2>"$tmp/err"
last=$(tail -1 "$tmp/err" | sed -E 's/, [0-9,]+ triples\/s, [0-9.]+ s$//')
check "--progress into a file ends with the final counts" "$last" \
  "kgmap: 150,000 records, $(echo "$want_triples" | sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta') triples"

# ---- -v ---------------------------------------------------------------------
mkdir -p "$tmp/v"
cat >"$tmp/v/m.yml" <<'YML'
prefixes: {ex: "http://example.org/"}
mappings:
  person:
    sources: [[people.json~jsonpath, "$.people[*]"]]
    s: ex:p/$(id)
    po: [[ex:name, $(name)]]
  city:
    sources: [[people.json~jsonpath, "$.cities[*]"]]
    s: ex:c/$(id)
    po: [[ex:name, $(name)], [ex:pop, $(pop)]]
YML
echo '{"people": [{"id": 1, "name": "A"}, {"name": "no id"}, {"id": 3, "name": "C"}, {"id": null}],
  "cities": [{"id": "x", "name": "X", "pop": 5}]}' >"$tmp/v/people.json"
"$KGMAP" -v -f ntriples "$tmp/v/m.yml" >"$tmp/v/out.nt" 2>"$tmp/v/err"
check "-v summary" "$(cat "$tmp/v/err")" \
  "kgmap: 1 document, 5 records, $(wc -l <"$tmp/v/out.nt") triples (person 2, city 2); skipped 2 records without a subject, a null or missing value in the subject map (person 2)"

# ---- man page ---------------------------------------------------------------
check "groff -man -ww -z docs/kgmap.1" "$(groff -man -ww -z docs/kgmap.1 2>&1)" ""
MANWIDTH=80 man -l docs/kgmap.1 >"$tmp/man.txt" 2>"$tmp/err" && grep -q '^NAME' "$tmp/man.txt" && ok ||
  bad "man -l docs/kgmap.1: $(head -3 "$tmp/err")"
missing=$(for o in $(long_options); do grep -q -- "${o}\b" "$tmp/man.txt" || echo "$o"; done)
check "every --help option is in the man page" "$missing" ""

# ---- make install -------------------------------------------------------------
dest="$tmp/dest"
make -s install PREFIX=/usr DESTDIR="$dest" BUILD="$(dirname "$KGMAP")" >"$tmp/err" 2>&1 || bad "make install: $(tail -3 "$tmp/err")"
check "make install DESTDIR= PREFIX=/usr" "$(cd "$dest" && find . -type f | sort | tr '\n' ' ')" \
  "./usr/bin/kgmap ./usr/share/bash-completion/completions/kgmap ./usr/share/man/man1/kgmap.1 "
check "the installed kgmap runs" "$("$dest/usr/bin/kgmap" --version)" "$("$KGMAP" --version)"
[ -x "$dest/usr/bin/kgmap" ] && [ "$(stat -c %a "$dest/usr/share/man/man1/kgmap.1")" = 644 ] && ok ||
  bad "installed modes"
make -s uninstall PREFIX=/usr DESTDIR="$dest" >/dev/null 2>&1
check "make uninstall" "$(find "$dest" -type f | wc -l)" "0"

# ---- bash completion ---------------------------------------------------------
complete_words() { # the completions bash would offer for the words "$@"
  (cd "$tmp/comp" && bash -c 'source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kgmap
    printf "%s\n" "${COMPREPLY[@]}"' "$OLDPWD/completions/kgmap.bash" "$@" | sort | tr '\n' ' ')
}
mkdir -p "$tmp/comp/maps" && touch "$tmp/comp/a.yml" "$tmp/comp/b.json" "$tmp/comp/c.ttl" "$tmp/comp/d.yaml"
check "complete -f" "$(complete_words kgmap -f '')" "cytoscape dot graphml nquads ntriples trig turtle "
check "complete --format=g" "$(complete_words kgmap --format=g)" "graphml "
check "complete --mapping-format" "$(complete_words kgmap --mapping-format '')" "rml yarrrml "
check "complete options" "$(complete_words kgmap --)" "$(long_options | tr '\n' ' ')"
check "complete mapping files" "$(complete_words kgmap '')" "a.yml c.ttl d.yaml maps "
check "complete -o" "$(complete_words kgmap -o b)" "b.json "
check "complete -s NAME=" "$(complete_words kgmap -s people=b)" "people=b.json "
bash -c 'source completions/kgmap.bash; complete -p kgmap' >"$tmp/err" 2>&1 &&
  grep -q -- '-F _kgmap kgmap' "$tmp/err" && ok || bad "complete -p kgmap: $(cat "$tmp/err")"

echo "daily: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
