#!/usr/bin/env bash
# Install the Debian packages that kgmap's build and tests need.  Run as
# root (CI does); a user without root gets the apt-get line to run.
set -eu
PKGS=(
  build-essential pkg-config
  libraptor2-dev libyaml-dev libcmocka-dev   # the libraries
  zlib1g-dev libcurl4-gnutls-dev             # gzip and sparql targets (the GnuTLS
                                             # libcurl: libraptor2-dev depends on it)
  raptor2-utils serdi                        # rapper; strict Turtle checks
  valgrind clang time                        # make valgrind, sanitisers, fuzzing; bench
  graphviz libxml2-utils python3-networkx    # -f dot/graphml read back (tests/viz)
  chromium fonts-dejavu-core                 # the viz/ page in headless Chromium
  groff-base man-db bsdutils                 # the man page; script(1) for the progress test
  virtuoso-opensource-7-bin curl             # make store: a real SPARQL store (the binary
                                             # only: the full package starts a system server)
  slurmctld slurmd slurm-client munge        # tests/slurm: a single-node cluster
  parallel iproute2                          # sharding with GNU parallel; the test's netns
  libclang-rt-14-dev libserd-dev             # make fuzz: libFuzzer; strict re-parse
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js for the test-only npm tools (oxigraph, SHACL): the machine image
# may already carry a Node.js with its own npm; take Debian's otherwise.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: as root, run: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
