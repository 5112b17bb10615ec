# The isc source on a generated configuration and journal (tools/isc_gen): odd-but-valid
# syntax, several records per address, every binding state. Every scope's counts equal the
# generator's truth. The samples' time, 2026-12-01, lies after the journal's ended leases
# (records without a binding state that ended are then free) and before its running ones.
source "$(dirname "$0")/lib.bash" "$1"
gen="$bin/tools/isc_gen/fostat-isc-gen"

mkdir gen
"$gen" gen 120 20000 42
"$collect" --db t.db isc --config gen/dhcpd.conf --leases gen/dhcpd.leases --server p \
  --at 2026-12-01T00:00:00Z >/dev/null 2>warnings.txt
grep -q "is not in a pool with a failover peer" warnings.txt || fail "no warning for ranges outside failover pools"
"$query" --db t.db samples --format csv |
  awk -F, 'NR > 1 { print $4 "," $5 "," $9 "," $8 "," $7 }' | sort >got.csv
tail -n +2 gen/truth.csv | sort >want.csv
diff want.csv got.csv || fail "counts differ from the generator's truth"
[[ $(wc -l <got.csv) == 120 ]] || fail "expected 120 scopes"
"$query" --db t.db check --rule sum-total --rule sum-free --rule range >/dev/null ||
  fail "the generated samples break an invariant"
echo "120 generated scopes match their truth"
