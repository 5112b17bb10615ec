# export -> import into a fresh database -> export gives the same bytes, and importing the
# same file again adds nothing.
source "$(dirname "$0")/lib.bash" "$1"

"$collect" --db a.db -q simulate --scopes 5 --days 3 --seed 11 --end 2026-11-24T12:00:00Z
"$query" --db a.db samples --format csv -o a.csv
"$collect" --db b.db -q import a.csv
"$query" --db b.db samples --format csv -o b.csv
cmp a.csv b.csv || fail "export of the imported export differs"
[[ $(stored a.db) == $(stored b.db) ]] || fail "sample counts differ"

out=$("$collect" --db b.db import a.csv)
[[ $out == *": 0 added, $(stored a.db) already stored, 0 replaced" ]] || fail "re-import: $out"

# Times in a zone read back to the same instants.
"$query" --db a.db samples --format csv --tz America/New_York -o ny.csv
"$collect" --db c.db -q import - <ny.csv
"$query" --db c.db samples --format csv -o c.csv
cmp a.csv c.csv || fail "an export in America/New_York does not import to the same samples"
echo "round trip of $(stored a.db) samples: identical"

# An export imported back into the database it came from adds nothing either, although it
# does not carry the servers' roles.
out=$("$collect" --db a.db import a.csv)
[[ $out == *": 0 added, $(stored a.db) already stored, 0 replaced" ]] || fail "import into the source database: $out"

# --time-format epoch: Unix seconds import back to the same samples.
"$query" --db a.db samples --format csv --time-format epoch -o epoch.csv
"$collect" --db e.db -q import epoch.csv
"$query" --db e.db samples --format csv -o e.csv
cmp a.csv e.csv || fail "an export with --time-format epoch does not import to the same samples"
