# fostat against dhcpd's own reading, over the configurations and journals that tools/isc_gen
# generates (shared-networks that name the peer, bare ranges that join a failover pool, an hba
# over two lines, four-digit octets, records without a binding state, malformed hardware
# addresses, every binding state): `dhcpd -t` accepts each configuration, and in every scope
# the number of addresses dhcpd loads in each binding state but free equals fostat's count of
# that state. dhcpd writes back only what is not free or holds client data, so free is
# compared through the generator's truth instead (tests/scripts/isc_generated.sh).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash" "$1"
source "$here/dhcpd/reading.bash"
gen="$bin/tools/isc_gen/fostat-isc-gen"
command -v dhcpd >/dev/null || { echo "dhcpd is not installed (isc-dhcp-server)" >&2; exit 77; }

for seed in 1 2 3; do
  mkdir "gen$seed"
  "$gen" "gen$seed" 150 20000 "$seed"
  dhcpd_reading "gen$seed/dhcpd.conf" "gen$seed/dhcpd.leases" "dhcpd$seed" ||
    fail "seed $seed: dhcpd refuses the generated files (above)"
  # The samples' time lies between the journal's ended and its running leases, as now does.
  "$collect" --db "t$seed.db" isc --config "gen$seed/dhcpd.conf" \
    --leases "gen$seed/dhcpd.leases" --server p --at 2026-12-01T00:00:00Z >/dev/null 2>/dev/null
  # scope state count, for every state but free, from each side (the subnets are /24s).
  dhcpd_states "dhcpd$seed/loaded.leases" |
    awk '$2 != "free" { split($1, o, "."); n[o[1] "." o[2] "." o[3] ".0/24 " $2]++ }
         END { for (k in n) print k, n[k] }' | sort >"dhcpd$seed.states"
  "$query" --db "t$seed.db" samples --lease-states --format csv |
    awk -F, 'NR == 1 { for (i = 15; i <= NF; i++) name[i] = substr($i, 8) }
             NR > 1 { for (i = 15; i <= NF; i++)
                        if (name[i] != "free" && $i > 0) print $4, name[i], $i }' |
    sort >"fostat$seed.states"
  diff "dhcpd$seed.states" "fostat$seed.states" ||
    fail "seed $seed: dhcpd (<) and fostat (>) read other binding states"
  [[ -s "fostat$seed.states" ]] || fail "seed $seed: no lease states to compare"
  echo "seed $seed: $(wc -l <"fostat$seed.states") scope-state counts equal dhcpd's"
done
