#!/usr/bin/env bash
# Seed corpora for the fuzz targets, from the repository's test inputs and
# mappings and from the RML-Core conformance suite in SHARED (copied into
# OUT/conformance first; nothing from SHARED is committed).
# Usage: seeds.sh OUT SHARED.  Writes OUT/seeds/TARGET/ for every target.
set -eu
out=$1 shared=$2
seeds=$out/seeds
rm -rf "$seeds" "$out/conformance"
mkdir -p "$seeds"/{doc,jsonpath,template,yarrrml,rml,pipeline}
if [ -d "$shared/conformance/rml-core" ]; then
  cp -r "$shared/conformance/rml-core" "$out/conformance"
else
  echo "seeds: no $shared/conformance/rml-core; seeding without it" >&2
  mkdir -p "$out/conformance"
fi
conf=$out/conformance
n=0
# put TARGET FILE...: one seed per file (named by its number, so that two
# files with the same name do not collide).
put() {
  local t=$1; shift
  for f in "$@"; do
    [ -f "$f" ] || continue
    n=$((n + 1)); cp "$f" "$seeds/$t/s$n"
  done
}

shopt -s nullglob
data_files=(tests/data/doc/* tests/cases/yarrrml/*/*.json tests/cases/yarrrml/*/*.yml
            mappings/example/* mappings/*.yml mappings/diplomacy/*.yml
            data/*.yml data/articles/*.yml "$conf"/*/*.json)
put doc "${data_files[@]}"
put yarrrml tests/cases/yarrrml/*/mapping.yml mappings/*.yml mappings/diplomacy/*.yml \
    tests/conformance/yarrrml/*.yml
put rml "$conf"/*/mapping.ttl

# JSONPath: every "path" line of the case files with the "doc" before it.
for f in tests/cases/jsonpath/*.txt; do
  awk -v dir="$seeds/jsonpath" -v start=$n '
    /^doc / { doc = substr($0, 5) }
    /^path / { k++; file = dir "/j" start "_" k
               printf "%s%c%s", substr($0, 6), 0, doc > file; close(file) }
  ' "$f"
  n=$((n + 1000))
done
# Iterators and references of the mappings, alone (the built-in document).
grep -rhoE "(iterator|rml:iterator|rml:reference) *:? *\"?[^\"]+\"?" \
    mappings tests/cases/yarrrml "$conf" 2>/dev/null |
  sed -E 's/^[a-z:]+ *:? *"?//; s/"$//' | sort -u |
  while IFS= read -r p; do n=$((n + 1)); printf '%s' "$p" >"$seeds/jsonpath/i$n"; done

# Templates: YARRRML values with $(...), RML rml:template strings.
{ grep -rhoE "[^ '\"\[]*\\\$\([^ '\"]*" mappings tests/cases/yarrrml 2>/dev/null
  grep -rhoE 'rml:template "[^"]*"' "$conf" 2>/dev/null |
    sed -E 's/^rml:template "//; s/"$//'; } | sort -u |
  while IFS= read -r p; do n=$((n + 1)); printf '%s' "$p" >"$seeds/template/t$n"; done

# The pipeline: each mapping with its data.
for d in tests/cases/yarrrml/*/ "$conf"/*/; do
  m=$(ls "$d"mapping.* 2>/dev/null | head -1)
  src=$(ls "$d"*.json "$d"*.jsonl "$d"*.yml 2>/dev/null | grep -v '/mapping\.' | head -1)
  [ -n "$m" ] && [ -n "$src" ] || continue
  n=$((n + 1))
  { cat "$m"; printf '\0'; cat "$src"; } >"$seeds/pipeline/p$n"
done
m=mappings/example.yml
[ -f "$m" ] && { cat "$m"; printf '\0'; cat mappings/example/people.json; } >"$seeds/pipeline/example"
for t in doc jsonpath template yarrrml rml pipeline; do
  printf '%s %s\n' "$t" "$(ls "$seeds/$t" | wc -l)"
done
