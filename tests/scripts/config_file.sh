# fostat-collect --config FILE: a [source] section chooses the source and gives its
# options; the command line overrides the file, before or after the command word; every
# error in the file is one line naming the file and the line, exit status 3.
data=$(cd "$(dirname "$0")/../data" && pwd)
source "$(dirname "$0")/lib.bash" "$1"
runs() { sqlite3 "$1" 'SELECT count(*) FROM runs'; }

cat >sim.conf <<'EOF'
# the options of every command above the section, the source's under it
db = "from-file.db"
quiet = true

[simulate]
scopes = 2
days = 1
seed = 7
end = "2026-11-24T00:00:00Z"
EOF
out=$("$collect" --config sim.conf)
[[ -z $out ]] || fail "quiet = true in the file: $out"
"$collect" -q --db cli.db simulate --scopes 2 --days 1 --seed 7 --end 2026-11-24T00:00:00Z
[[ $(stored from-file.db) == "$(stored cli.db)" && $(stored cli.db) -gt 0 ]] ||
  fail "the file's run stored $(stored from-file.db) samples, the command line's $(stored cli.db)"
[[ $(runs from-file.db) == 1 ]] || fail "one run of the file gave $(runs from-file.db) runs rows"

# The command line wins: an option of every command before or after the command word,
# a source option after it.
"$collect" --db over1.db --config sim.conf
"$collect" --config sim.conf simulate --db over2.db --scopes 3
[[ ! -e from-file.db-wal && $(runs from-file.db) == 1 ]] || fail "--db of the command line did not win"
[[ $(sqlite3 over2.db 'SELECT count(DISTINCT scope) FROM series') == 3 ]] ||
  fail "--scopes 3 on the command line: $(sqlite3 over2.db 'SELECT count(DISTINCT scope) FROM series') scopes"
[[ $(stored over1.db) == "$(stored cli.db)" ]] || fail "over1.db: $(stored over1.db) samples"
out=$("$collect" --config sim.conf simulate --db over3.db --quiet=false)
[[ $out == "run 1 (simulate): "* ]] || fail "--quiet=false on the command line: '$out'"

# The other sources: isc, and import with its files as an array.
cp "$data"/isc-pair/* .
cat >isc.conf <<EOF
db = "isc.db"
[isc]
config = "dhcpd-primary.conf"
leases = "primary.dhcpd.leases"
server = "primary"
at = "2026-11-25T01:00:00Z"
EOF
"$collect" -q --config isc.conf
"$collect" -q --db isc-cli.db isc --config dhcpd-primary.conf --leases primary.dhcpd.leases \
  --server primary --at 2026-11-25T01:00:00Z
[[ $("$query" --db isc.db samples --format csv) == "$("$query" --db isc-cli.db samples --format csv)" ]] ||
  fail "isc from the file differs from isc from the command line"

"$query" --db cli.db samples --format csv --server dhcp1 -o one.csv
"$query" --db cli.db samples --format csv --server dhcp2 -o two.csv
cat >import.conf <<'EOF'
[import]
db = "imported.db"
files = ["one.csv", "two.csv"]
EOF
"$collect" -q --config import.conf
[[ $(stored imported.db) == "$(stored cli.db)" ]] || fail "import of two files: $(stored imported.db) samples"

# Errors: one line on stderr, FILE:LINE first, status 3, nothing stored.
refused=0
expect_error() {  # FILE-CONTENT EXPECTED-MESSAGE [ARGS...]
  refused=$((refused + 1))
  printf '%s\n' "$1" >bad.conf
  local status=0
  "$collect" --config bad.conf "${@:3}" >out 2>err || status=$?
  [[ $status == 3 ]] || fail "$(head -c 200 bad.conf): status $status"
  [[ $(wc -l <err) == 1 ]] || fail "$(head -c 200 bad.conf): $(cat err)"
  [[ $(cat err) == *"$2"* ]] || fail "expected '$2', got: $(cat err)"
}
expect_error $'[simulate]\nscopes = 2\ncolour = blue' \
  "bad.conf:3: unknown key 'colour': fostat-collect simulate has no option --colour"
expect_error $'[simulate]\ndays = many' "bad.conf:2: days: Could not convert: --days = many"
expect_error $'db = "x.db"\n[simulate]\ndays 3' "bad.conf:3: expected \`key = value\` or a [source] section, found 'days 3'"
expect_error $'[simulator]\ndays = 3' "bad.conf:1: ['simulator'] is not a source; name one of [simulate], [import]"
expect_error $'[simulate]\ndays = 1\n[isc]\nserver = x' "bad.conf:3: [isc] after [simulate] (line 1): a file configures one source"
expect_error $'socket = "/run/kea/kea4-ctrl-socket"\n[kea]' \
  "bad.conf:1: unknown key 'socket': fostat-collect has no option --socket; the source's options go under [kea]"
expect_error $'db = "x.db"' "bad.conf: no source; put the source's options under one of [simulate]"
expect_error $'[simulate]\ndays = 1' "bad.conf:1: configures [simulate], but the command line names prune" prune
[[ ! -e x.db ]] || fail "a bad file created the database"

status=0
"$collect" --config missing.conf 2>err || status=$?
[[ $status == 3 && $(cat err) == *"missing.conf"* ]] || fail "missing file: status $status, $(cat err)"
echo "config files: sources chosen, command line overrides, $refused bad files refused"
