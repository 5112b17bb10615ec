# What ISC dhcpd itself reads from a configuration and a journal, for the tests that hold
# fostat's isc source to it (docs/sources/isc.md, "Checked against dhcpd").
#
#   dhcpd_reading CONF LEASES OUT
#     runs `dhcpd -t` on CONF (it must accept it) and `dhcpd -T` on CONF and LEASES, in a
#     scratch directory, and writes into the directory OUT:
#       accepted.txt   what `dhcpd -t` says after its banner
#       loaded.txt     what `dhcpd -T` says after its banner, the temporary file's name removed
#       loaded.leases  every lease dhcpd loaded, as it writes them: the lease records of the
#                      file that `dhcpd -T` writes and removes (kept by keep_lease_file.c)
#     Returns non-zero, with dhcpd's words on stderr, when dhcpd refuses either.
#   dhcpd_states LOADED_LEASES
#     prints "address state" for each lease record dhcpd wrote, sorted by address.
#
# Needs dhcpd (Debian's isc-dhcp-server) and a C compiler. dhcpd sends nothing in test mode:
# it reads its files and exits before it opens a socket.

dhcpd_shim=""

dhcpd_build_shim() {
  [[ -n $dhcpd_shim ]] && return
  # In the test's scratch directory (lib.bash's $work, removed when the test ends).
  dhcpd_shim=${work:?source lib.bash first}/keep_lease_file.so
  cc -shared -fPIC -o "$dhcpd_shim" "$(dirname "${BASH_SOURCE[0]}")/keep_lease_file.c" -ldl
}

# The lines dhcpd prints after its banner (version, copyright and the file names).
dhcpd_after_banner() { sed -n '/^PID file:/,$p' | tail -n +2; }

dhcpd_reading() {
  local conf=$1 leases=$2 out=$3 scratch printed db rc
  dhcpd_build_shim
  scratch=$(mktemp -d)
  mkdir -p "$out"
  cp "$conf" "$scratch/dhcpd.conf"
  touch "$scratch/dhcpd.leases"  # -t wants the journal to exist, though it does not read it
  # A configuration may name its own journal (lease-file-name): dhcpd -t says which.
  rc=0
  (cd "$scratch" && dhcpd -4 -t -cf dhcpd.conf -lf dhcpd.leases >accepted.raw 2>&1) || rc=$?
  dhcpd_after_banner <"$scratch/accepted.raw" >"$out/accepted.txt"
  if ((rc != 0)); then
    cat "$scratch/accepted.raw" >&2
    rm -rf "$scratch"
    return 1
  fi
  printed=$(sed -n "s/^Database file: //p" "$scratch/accepted.raw")
  db=$printed
  [[ $db == /* ]] || db=$scratch/$db
  cp "$leases" "$db"
  rc=0
  (cd "$scratch" && FOSTAT_KEEP_PREFIX="$printed." LD_PRELOAD="$dhcpd_shim" \
    dhcpd -4 -T -cf dhcpd.conf -lf "$db" >loaded.raw 2>&1) || rc=$?
  dhcpd_after_banner <"$scratch/loaded.raw" |
    sed -e "s/removing temp lease file: .*/removing temp lease file/" -e "s|$scratch/||g" \
      >"$out/loaded.txt"
  if ((rc != 0)); then
    cat "$scratch/loaded.raw" >&2
    rm -rf "$scratch"
    return 1
  fi
  # The lease records only: the file's header and its failover state record carry the time.
  awk '/^lease /, /^}/' "$db".[0-9]* >"$out/loaded.leases"
  rm -rf "$scratch"
}

dhcpd_states() {
  awk '/^lease / { address = $2 }
       /^  binding state / { sub(/;$/, "", $3); print address, $3 }' "$1" | sort -V
}
