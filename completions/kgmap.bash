# bash completion for kgmap; installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/kgmap.
# Options, formats after -f, yarrrml|rml after --mapping-format, files
# after -o and -s NAME=, mapping files (.yml .yaml .ttl .rml) otherwise.

_kgmap_files() { # $1: the word; $2: an extended regex the names must match
  local f
  while IFS= read -r f; do
    if [[ -d $f ]]; then COMPREPLY+=("$f")
    elif [[ -z $2 || $f =~ $2 ]]; then COMPREPLY+=("$f"); fi
  done < <(compgen -f -- "$1")
}

_kgmap() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local formats="turtle ntriples nquads trig dot graphml cytoscape"
  local opts="--output --format --base --external --source --mapping-format
    --merge-graphs --jobs --shard --skip-bad-records --lang --literal-nodes --quiet --progress
    --verbose --help --version -o -f -e -s -j -q -v -h -V"
  COMPREPLY=()
  if [[ $cur == --*=* ]]; then # --format=dot
    prev=${cur%%=*}
    cur=${cur#*=}
  fi
  case $prev in
    -f | --format)
      mapfile -t COMPREPLY < <(compgen -W "$formats" -- "$cur")
      return ;;
    --mapping-format)
      mapfile -t COMPREPLY < <(compgen -W "yarrrml rml" -- "$cur")
      return ;;
    -o | --output)
      _kgmap_files "$cur" ""
      return ;;
    -s | --source)
      if [[ $cur == *=* ]]; then
        local name=${cur%%=*}
        _kgmap_files "${cur#*=}" ""
        COMPREPLY=("${COMPREPLY[@]/#/$name=}")
      fi
      return ;;
    -e | --external | --base | --lang | -j | --jobs | --shard)
      return ;;
  esac
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    return
  fi
  _kgmap_files "$cur" '\.(yml|yaml|ttl|rml)$'
}

complete -o filenames -F _kgmap kgmap
