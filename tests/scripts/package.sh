# cpack -G DEB: the package's dependencies cover every shared library the programs need;
# installed, its programs run, the user fostat and /var/lib/fostat exist, man finds the
# pages, systemd-analyze accepts the installed units; purged, it leaves the machine as it
# found it. Needs root and a Debian machine with nothing of fostat installed (77: skipped).
# The package is built in its own CMake tree beside the tests' (Release, no tests), kept
# between runs so that only what changed is compiled again.
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/lib.bash" "$1"
skip() { echo "SKIP: $*"; exit 77; }
[[ $(id -u) == 0 ]] || skip "needs root to install a package"
for tool in dpkg dpkg-deb dpkg-shlibdeps cpack man; do
  command -v $tool >/dev/null || skip "no $tool"
done
dpkg -s fostat >/dev/null 2>&1 && skip "a fostat package is installed already"
[[ -e /usr/bin/fostat-collect ]] && skip "/usr/bin/fostat-collect exists already"

had_user=$(getent passwd fostat || true)
had_group=$(getent group fostat || true)
had_state=$([[ -e /var/lib/fostat ]] && echo yes || true)
had_etc=$([[ -e /etc/fostat ]] && echo yes || true)
cleanup() {
  dpkg --purge fostat >/dev/null 2>&1 || true
  [[ -n $had_user ]] || ! getent passwd fostat >/dev/null || deluser --system --quiet fostat >/dev/null 2>&1 || true
  [[ -n $had_group ]] || ! getent group fostat >/dev/null || delgroup --system --quiet fostat >/dev/null 2>&1 || true
  [[ -n $had_state ]] || rm -rf /var/lib/fostat
  [[ -n $had_etc ]] || rm -rf /etc/fostat
  rm -rf "$work"
}
trap cleanup EXIT

build="$bin/package"
started=$SECONDS
cmake -S "$source_dir" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFOSTAT_BUILD_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX=/usr >"$work/cmake.log" 2>&1 || fail "cmake: $(tail -5 "$work/cmake.log")"
cmake --build "$build" -j"$(nproc)" >"$work/build.log" 2>&1 || fail "build: $(tail -20 "$work/build.log")"
rm -f "$build"/fostat_*.deb
(cd "$build" && cpack -G DEB) >"$work/cpack.log" 2>&1 || fail "cpack: $(tail -20 "$work/cpack.log")"
deb=$(echo "$build"/fostat_*_*.deb)
[[ -f $deb ]] || fail "no package in $build"
echo "package built in $((SECONDS - started)) s: $(basename "$deb")"

# Every library the programs load directly comes from a package that Depends names.
depends=$(dpkg-deb -f "$deb" Depends)
for program in fostat-collect fostat-query; do
  for lib in $(objdump -p "$build/$program" | awk '$1 == "NEEDED" { print $2 }'); do
    path=$(ldd "$build/$program" | awk -v l="$lib" '$1 == l { print $3 }')
    [[ -n $path ]] || fail "$program: $lib not found"
    # dpkg knows a library by the path its package ships, /lib or /usr/lib (merged /usr).
    real=$(realpath "$path")
    package=$( (dpkg -S "$real" || dpkg -S "${real#/usr}" || dpkg -S "/usr$real") 2>/dev/null |
      head -1 | cut -d: -f1 || true)
    [[ -n $package ]] || fail "$program: $lib ($path) is in no package"
    [[ ", $depends" == *", $package "* || ", $depends," == *", $package,"* ]] ||
      fail "$program needs $lib of $package, which Depends ($depends) does not name"
  done
done
[[ $depends == *adduser* ]] || fail "Depends lacks adduser (for the postinst): $depends"

dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || fail "dpkg -i: $(tail -5 "$work/dpkg.log")"
getent passwd fostat >/dev/null || fail "the postinst created no user fostat"
[[ $(stat -c '%U %a' /var/lib/fostat) == "fostat 750" ]] ||
  fail "/var/lib/fostat: $(stat -c '%U %a' /var/lib/fostat)"
[[ -d /etc/fostat ]] || fail "no /etc/fostat"

/usr/bin/fostat-collect --db "$work/x.db" -q simulate --days 1 || fail "installed fostat-collect"
status=0
/usr/bin/fostat-query --db "$work/x.db" status >"$work/status.out" || status=$?
((status <= 2)) && grep -q dhcp1 "$work/status.out" || fail "installed fostat-query status: $status"
# As the units run it: the user fostat, a file in /etc/fostat, the database in /var/lib/fostat.
printf '[simulate]\ndays = 1\n' >/etc/fostat/package-test.conf
(cd /var/lib/fostat && FOSTAT_DB=/var/lib/fostat/fostat.db \
  runuser -u fostat -- /usr/bin/fostat-collect -q --config /etc/fostat/package-test.conf) ||
  fail "fostat-collect --config as the user fostat"
[[ $(stat -c %U /var/lib/fostat/fostat.db) == fostat ]] || fail "the database is not fostat's"
rm -f /etc/fostat/package-test.conf /var/lib/fostat/fostat.db*

for page in fostat-collect fostat-query; do
  [[ $(man -w $page) == /usr/share/man/man1/$page.1* ]] || fail "man -w $page: $(man -w $page 2>&1)"
done
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /usr/lib/systemd/system/fostat-collect@.service \
    /usr/lib/systemd/system/fostat-collect@.timer >"$work/verify.out" 2>&1 ||
    fail "systemd-analyze verify: $(cat "$work/verify.out")"
  [[ ! -s $work/verify.out ]] || fail "systemd-analyze verify: $(cat "$work/verify.out")"
fi

dpkg --purge fostat >"$work/dpkg.log" 2>&1 || fail "dpkg --purge: $(tail -5 "$work/dpkg.log")"
[[ ! -e /usr/bin/fostat-collect && ! -e /usr/share/man/man1/fostat-collect.1 ]] ||
  fail "files left after dpkg --purge"
echo "installed, run, verified and purged: $(basename "$deb"), Depends: $depends"
