# Shared by the script tests: a scratch directory and a few assertions.
set -euo pipefail
bin=$(cd "$1" && pwd)
collect="$bin/fostat-collect"
query="$bin/fostat-query"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
unset FOSTAT_DB

fail() { echo "FAIL: $*" >&2; exit 1; }
# Samples stored: in the chunks and, not compacted yet, in the head (docs/storage.md).
stored_sql='SELECT (SELECT coalesce(sum(samples), 0) FROM chunks) + (SELECT coalesce(sum(samples), 0) FROM head)'
stored() { sqlite3 "$1" "$stored_sql"; }
integrity() { sqlite3 "$1" 'PRAGMA integrity_check'; }

# For the tests against Prometheus: installs Debian's prometheus and curl where missing, and
# skips (77) only when that fails; sets prometheus_server to the lab's script that starts one
# (tools/lab/prometheus-server). ROOT is the repository's top directory.
need_prometheus() {
  local root=$1
  command -v prometheus >/dev/null || "$root/tools/install-deps" prometheus >/dev/null 2>&1 ||
    { echo "SKIP: prometheus is not installed and could not be (Debian package prometheus)" >&2; exit 77; }
  command -v curl >/dev/null || "$root/tools/install-deps" curl >/dev/null 2>&1 ||
    { echo "SKIP: curl is not installed and could not be" >&2; exit 77; }
  prometheus_server="$root/tools/lab/prometheus-server"
}
