# The windows source's Win32 adapter against a dhcpsapi.dll, under wine: cross-compiles with
# mingw-w64 the portable source (src/sources/windows.cpp), the dhcpsapi adapter
# (src/sources/windows_dhcpsapi.cpp, linked against mingw's import library of dhcpsapi), the
# canonical CSV writer and a small driver (tests/windows/driver.cpp), builds the fake
# dhcpsapi.dll of tests/windows/fake_dhcpsapi.c, and runs the driver under wine64 with the
# fake beside it (WINEDLLOVERRIDES=dhcpsapi=n, so wine loads it instead of its builtin stub):
#   1. server dhcp1 (six relationships over three pages, one without scopes, a UTF-16 name
#      beyond ASCII, a wrapped counter): exit 0 and the CSV equals tests/windows/expected.csv,
#      which fostat-collect import (Linux) takes as it is, and whose samples equal those
#      imported from tests/windows/export-dhcp1.csv, the PowerShell export of the same server
#      (the load-balance secondary's share 100 - Percentage on both paths);
#   2. server dhcp-bad (one scope's statistics fail): exit 0, the CSV of the other six scopes,
#      and one warning naming the server, the call, the scope, its relationship and
#      ERROR_DHCP_SUBNET_NOT_PRESENT;
#   3. an unknown server (the enumeration fails): exit 3 naming RPC_S_SERVER_UNAVAILABLE;
# and in each run every buffer the DLL handed out was given back, none twice.
# Installs mingw-w64 and wine64 when missing (Debian 12); skipped (77) only when they cannot
# be installed. About 20 s, most of it compiling and wine's first start.
root=$(cd "$(dirname "$0")/../.." && pwd) # before lib.bash moves to its scratch directory
source "$(dirname "$0")/lib.bash" "$1"

skip() { echo "SKIP: $*" >&2; exit 77; }
cxx=x86_64-w64-mingw32-g++-posix # the posix thread model: date/tz.h needs <mutex>
cc=x86_64-w64-mingw32-gcc
wine=/usr/lib/wine/wine64 # Debian's wine64 package; /usr/bin/wine comes with the wine package
wineserver=/usr/lib/wine/wineserver
if ! command -v "$cxx" >/dev/null || ! command -v "$cc" >/dev/null || [[ ! -x $wine ]]; then
  "$root/tools/install-deps" mingw-w64 wine64 >/dev/null 2>&1 ||
    skip "mingw-w64 and wine64 are not installed and could not be"
fi
[[ -x $wine ]] || wine=$(command -v wine64) || skip "no wine64 after installing it"
[[ -x $wineserver ]] || wineserver=$(command -v wineserver)

export WINEPREFIX=$work/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES=dhcpsapi=n
cleanup() {
  local rc=$?
  # Only the wineserver of this test's own prefix.
  [[ -d $WINEPREFIX ]] && "$wineserver" -k 2>/dev/null || true
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start=$SECONDS

# Wine's first start in a fresh prefix takes a few seconds: start it while compiling, and
# keep its messages out of the driver's.
("$wine" wineboot --init >wineboot.log 2>&1) &
boot=$!

# Howard Hinnant's date headers only, not the rest of /usr/include.
mkdir -p inc && ln -s /usr/include/date inc/date
flags=(-std=c++20 -O1 -Wall -Wextra -isystem inc)
# Every layer's headers (cmake/layers.cmake).
for d in "$root"/src/*/include; do flags+=(-I"$d"); done
sources=(
  src/sources/windows.cpp src/sources/windows_dhcpsapi.cpp src/formats/canonical_csv.cpp
  src/formats/csv.cpp src/model/sample.cpp src/model/ipv4.cpp src/model/error.cpp
  src/model/time_text.cpp src/model/text.cpp
  tests/windows/tz_stub.cpp tests/windows/driver.cpp
)
pids=()
for s in "${sources[@]}"; do
  o=$(basename "$s" .cpp).o
  "$cxx" "${flags[@]}" -c "$root/$s" -o "$o" 2>"$o.log" &
  pids+=("$!:$s")
done
"$cc" -O1 -Wall -Wextra -shared -o dhcpsapi.dll "$root/tests/windows/fake_dhcpsapi.c" 2>dll.log ||
  { cat dll.log >&2; fail "the fake dhcpsapi.dll does not build"; }
for p in "${pids[@]}"; do
  wait "${p%%:*}" || { cat "$(basename "${p#*:}" .cpp).o.log" >&2; fail "${p#*:} does not cross-compile"; }
done
# -static: libstdc++, libgcc and winpthread inside, so wine needs no mingw DLLs; dhcpsapi
# comes from mingw's import library, which names DHCPSAPI.DLL.
"$cxx" ./*.o -static -ldhcpsapi -o driver.exe 2>link.log || { cat link.log >&2; fail "driver.exe does not link"; }
cat ./*.o.log dll.log link.log >&2 # warnings, if any, for the log
note() { echo "windows_wine: $*" >&2; }
note "cross-compiled in $((SECONDS - start)) s"
wait "$boot" || { cat wineboot.log >&2; fail "wine does not start here (wineboot --init)"; }
note "wine ready after $((SECONDS - start)) s"

# run SERVER: the driver's exit status in $rc, its output in SERVER.csv and SERVER.err
# (the fake DLL's report line moved to SERVER.report).
run() {
  rc=0
  "$wine" driver.exe "$1" 1795507200 >"$1.csv" 2>"$1.all" || rc=$?
  grep '^fake dhcpsapi: ' "$1.all" >"$1.report" || true
  grep -v '^fake dhcpsapi: ' "$1.all" >"$1.err" || true
}
# balanced SERVER CALLS: the fake served CALLS calls and got every buffer back, none twice.
balanced() {
  grep -Eq "^fake dhcpsapi: $2 calls, [0-9]+ buffers handed out, 0 outstanding, 0 bad frees$" "$1.report" ||
    fail "$1: the fake dhcpsapi.dll was not loaded, or buffers were not all freed once (want $2 calls): $(cat "$1.report" "$1.all")"
}

# (1) Three pages of relationships, seven scopes.
run dhcp1
((rc == 0)) || fail "dhcp1: exit $rc: $(cat dhcp1.all)"
[[ ! -s dhcp1.err ]] || fail "dhcp1: said on stderr: $(cat dhcp1.err)"
diff -u "$root/tests/windows/expected.csv" dhcp1.csv >&2 || fail "dhcp1: the CSV differs from tests/windows/expected.csv"
balanced dhcp1 10 # 3 enumeration pages + 7 scopes
"$collect" --db imported.db -q import dhcp1.csv || fail "fostat-collect import refuses the driver's CSV"
[[ $(stored imported.db) == 7 ]] || fail "import stored $(stored imported.db) samples, not 7"
# The same server through the other path: tests/windows/export-dhcp1.csv is what
# Export-FostatFailoverStats.ps1 writes for it (LoadBalancePercent and ReservePercent as
# Windows shows them, the relationship's, with ServerRole and ServerType). Both paths must
# give the same samples: counters, mode, share and state (the canonical CSV has no role).
"$collect" --db exported.db -q import "$root/tests/windows/export-dhcp1.csv" ||
  fail "fostat-collect import refuses tests/windows/export-dhcp1.csv"
diff -u <("$query" --db imported.db samples --format csv) <("$query" --db exported.db samples --format csv) >&2 ||
  fail "the native path and the PowerShell export of the same server give different samples"
# status exits as the checks do (a partner-down relationship is critical): only above 2 is
# it an error.
"$query" --db exported.db status --format csv >exported-status.csv || (($? <= 2)) ||
  fail "status on the exported samples failed"
roles=$(awk -F, 'NR > 1 { print $1, $14, $15 }' exported-status.csv)
grep -q '^10.2.0.0 secondary 30$' <<<"$roles" ||
  fail "dhcp1-dhcp3's secondary does not hold 100 - LoadBalancePercent: $roles"

# (2) One scope fails: it is left out and named; the other scopes are there.
run dhcp-bad
((rc == 0)) || fail "dhcp-bad: exit $rc, not 0: $(cat dhcp-bad.all)"
grep -v ',10\.3\.0\.0,' "$root/tests/windows/expected.csv" | sed 's/,dhcp1,/,dhcp-bad,/' >dhcp-bad.expected.csv
diff -u dhcp-bad.expected.csv dhcp-bad.csv >&2 || fail "dhcp-bad: the CSV is not expected.csv without 10.3.0.0"
want="fostat-collect: warning: DHCP server dhcp-bad: DhcpV4FailoverGetScopeStatistics for scope 10.3.0.0 of relationship 'branch-hs': ERROR_DHCP_SUBNET_NOT_PRESENT (20005): the specified subnet does not exist on the DHCP server; that scope has no sample this run"
[[ $(cat dhcp-bad.err) == "$want" ]] || fail "dhcp-bad: stderr is not the one line"$'\n'"$want"$'\n'"but"$'\n'"$(cat dhcp-bad.err)"
balanced dhcp-bad 10 # 3 pages and 7 scopes, 10.3.0.0's failed

# (3) The server cannot be reached.
run nowhere
((rc == 3)) || fail "nowhere: exit $rc, not 3"
grep -q "^fostat-collect: DHCP server nowhere: DhcpV4FailoverEnumRelationship (call 1): RPC_S_SERVER_UNAVAILABLE (1722): " nowhere.err ||
  fail "nowhere: stderr does not name the call and RPC_S_SERVER_UNAVAILABLE: $(cat nowhere.err)"
balanced nowhere 1

note "pass: 3 pages and 7 scopes as expected.csv and as the PowerShell export, a failing scope left out and named, an unreachable server reported, every buffer freed; $((SECONDS - start)) s"
