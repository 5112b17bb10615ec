# libFuzzer (clang, with AddressSanitizer and UBSan) on every parser of untrusted input:
# each target runs for FOSTAT_FUZZ_SECONDS (default 15) from the project's real files as
# seed corpus; a crash, a sanitizer report or an exception other than InputError fails.
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/lib.bash" "$1"
seconds=${FOSTAT_FUZZ_SECONDS:-15}
if ! command -v clang++ >/dev/null; then
  echo "clang++ is not installed (tools/install-deps installs it)"
  exit 77
fi

flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
  -DUSE_OS_TZDB=1 -DONLY_C_LOCALE=1 -DHAS_STRING_VIEW=1 -I"$src/include" -I"$src/src"
  -DFOSTAT_KEA_LAB="\"$src/tests/data/kea-lab/\"")
common=("$src/src/error.cpp" "$src/src/ipv4.cpp" "$src/src/format/byte_source.cpp")
csv=("$src/src/format/csv.cpp" "$src/src/format/canonical_csv.cpp" "$src/src/sample.cpp"
  "$src/src/time_text.cpp")

declare -A sources=(
  [canonical_csv]="${csv[*]} $src/src/sources/import.cpp $src/src/sources/powershell_import.cpp"
  [isc_config]="$src/src/sources/isc_config.cpp"
  [isc_leases]="$src/src/sources/isc_leases.cpp"
  [isc_log]="${csv[*]} $src/src/sources/isc_log.cpp"
  [kea_json]="${csv[*]} $src/src/sources/kea_json.cpp $src/src/sources/kea.cpp"
  [powershell_import]="${csv[*]} $src/src/sources/import.cpp $src/src/sources/powershell_import.cpp"
)
declare -A seeds=(
  [canonical_csv]="$src/tests/golden/import-and-export/input.csv"
  [isc_config]="$src/tests/data/isc-pair/dhcpd-primary.conf $src/tests/data/isc-pair/common.conf"
  [isc_leases]="$src/tests/data/isc-pair/primary.dhcpd.leases"
  [isc_log]="$src/tests/golden/isc-log/primary.syslog"
  [kea_json]="$src/tests/data/kea-lab/load-balancing/server1.stat-lease4-get.json
    $src/tests/data/kea-lab/load-balancing/server1.lease4-get-page.3.json
    $src/tests/data/kea-lab/load-balancing/server1.config-get.json
    $src/tests/data/kea-lab/hot-standby/server2.status-get.json"
  [powershell_import]="$(echo "$src"/tests/golden/powershell-*/*.csv "$src"/tests/golden/powershell-*/*.json)"
)

for target in "${!sources[@]}"; do
  # shellcheck disable=SC2086
  clang++ "${flags[@]}" "$src/tests/fuzz/${target}_fuzz.cpp" ${sources[$target]} "${common[@]}" \
    -ldate-tz -pthread -o "$target" 2>build-$target.log || { cat build-$target.log; fail "$target: build"; }
  mkdir -p "corpus-$target"
  # shellcheck disable=SC2086
  cp ${seeds[$target]} "corpus-$target/"
  if ! ./"$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    "corpus-$target" >"$target.log" 2>&1; then
    tail -n 40 "$target.log"
    fail "$target: libFuzzer found a problem"
  fi
  echo "$target: $(grep -o 'Done [0-9]* runs' "$target.log" || tail -n 1 "$target.log")"
done
