# dist/systemd: systemd-analyze verify finds nothing to say about the units (it needs no
# running systemd), systemd-analyze security rates the service's exposure low, the unit's
# ExecStart runs with a configuration file, and every system call the collector makes
# (as an unprivileged user, as the unit runs it) passes the unit's SystemCallFilter.
units=$(cd "$(dirname "$0")/../../dist/systemd" && pwd)
data=$(cd "$(dirname "$0")/../data" && pwd)
source "$(dirname "$0")/lib.bash" "$1"
command -v systemd-analyze >/dev/null || { echo "SKIP: no systemd-analyze (package systemd)"; exit 77; }

# verify checks that ExecStart's program exists: point it at the built one.
mkdir units
sed "s|/usr/bin/fostat-collect|$collect|" "$units/fostat-collect@.service" >units/fostat-collect@.service
cp "$units/fostat-collect@.timer" units/
# --man=no: the man page is installed with the package (tests/scripts/package.sh verifies
# the installed units with it).
systemd-analyze verify --man=no units/fostat-collect@.service units/fostat-collect@.timer \
  >verify.out 2>&1 || fail "systemd-analyze verify: $(cat verify.out)"
[[ ! -s verify.out ]] || fail "systemd-analyze verify: $(cat verify.out)"

exposure=$(systemd-analyze security --offline=true units/fostat-collect@.service 2>&1 |
  sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[[ -n $exposure ]] || fail "systemd-analyze security printed no exposure level"
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "exposure $exposure, more than 2.0"

# ExecStart as the unit gives it, with /etc/fostat/%i.conf one of ours.
exec_start=$(sed -n 's/^ExecStart=//p' units/fostat-collect@.service)
mkdir -m 0777 run
cp "$data"/isc-pair/* run/
cat >run/dhcp1.conf <<'EOF'
[isc]
config = "dhcpd-primary.conf"
leases = "primary.dhcpd.leases"
server = "primary"
EOF
command_line=${exec_start//\/etc\/fostat\/%i.conf/$work/run/dhcp1.conf}
(cd run && FOSTAT_DB=$work/run/site.db $command_line) || fail "$command_line"
[[ $(stored run/site.db) -gt 0 ]] || fail "the unit's command stored nothing"

# The system calls of runs of each kind, as an unprivileged user (SQLite chowns its
# journal only as root), against @system-service minus @privileged and @resources.
if command -v strace >/dev/null && command -v setpriv >/dev/null; then
  expand() {  # a system call group, its nested groups expanded
    systemd-analyze syscall-filter "$1" | tail -n +2 | sed 's/^ *//; /^#/d; /^$/d' |
      while read -r name; do
        if [[ $name == @* ]]; then expand "$name"; else echo "$name"; fi
      done
  }
  allowed=$(comm -23 <(expand @system-service | sort -u) <( (expand @privileged; expand @resources) | sort -u))
  nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups strace -f -qq -o "$work/trace.$1" "${@:2}"; }
  chmod 0777 "$work"
  cd run
  nobody simulate "$collect" -q --db sim.db simulate --days 2
  nobody isc "$collect" -q --db isc.db isc --config dhcpd-primary.conf --leases primary.dhcpd.leases --server p
  nobody export "$query" --db sim.db samples --format csv -o sim.csv
  nobody import "$collect" -q --db imp.db import sim.csv
  nobody kea-http "$collect" -q --db kea.db kea --url http://127.0.0.1:9/ --timeout 1s 2>/dev/null || true
  nobody kea-socket "$collect" -q --db kea.db kea --socket "$work/no-socket" 2>/dev/null || true
  cd "$work"
  used=$(cat trace.* | sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' | sort -u)
  refused=$(comm -23 <(echo "$used") <(echo "$allowed"))
  [[ -z $refused ]] || fail "system calls outside the unit's SystemCallFilter: $refused"
  echo "units verified, exposure $exposure, $(echo "$used" | wc -l) system calls used, all allowed"
else
  echo "units verified, exposure $exposure (no strace or setpriv: system calls not checked)"
fi
