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
