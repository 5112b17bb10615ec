# The CSV of samples, trend and check with --time-format spreadsheet, opened by LibreOffice
# Calc (Debian 12's libreoffice-calc-nogui, 7.4) as a person would: each file converted
# headless to .ods with the Text Import options "Detect special numbers" and language
# English (USA), and every cell of the sheet read back from content.xml and compared with
# the CSV: times are date-times (office:value-type="date") at the same wall-clock time,
# numbers are numbers ("float"), every other cell is text ("string") equal to the CSV
# field, and no cell is a formula; the server '=HYPERLINK("x")' is the text with the
# neutralising apostrophe, while the same CSV without the apostrophe does become a formula.
# Installs libreoffice-calc-nogui when soffice is missing; skipped (77) only when it cannot
# be installed. LibreOffice's profile goes to the scratch directory, never to $HOME.
# About 10 s once installed (the first start of LibreOffice builds its profile).
root=$(cd "$(dirname "$0")/../.." && pwd) # before lib.bash moves to its scratch directory
source "$(dirname "$0")/lib.bash" "$1"

skip() { echo "SKIP: $*" >&2; exit 77; }
if ! command -v soffice >/dev/null; then
  "$root/tools/install-deps" libreoffice-calc-nogui >/dev/null 2>&1 ||
    skip "LibreOffice Calc is not installed and could not be (libreoffice-calc-nogui)"
fi
command -v soffice >/dev/null || skip "no soffice after installing libreoffice-calc-nogui"
command -v python3 >/dev/null || "$root/tools/install-deps" python3 >/dev/null 2>&1 ||
  skip "no python3 to read the .ods files"

export HOME=$work/home
mkdir -p "$HOME"
cleanup() {
  local rc=$?
  # A LibreOffice of this test's own profile that outlived its conversion, by pid.
  for pid in $(pgrep -f "$work/profile" || true); do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

# Text Import options, by position: separator ',' (44), quote '"' (34), UTF-8 (76), from
# line 1, default column types, language English (USA) (1033), quoted fields not forced to
# text, detect special numbers.
import_options='CSV:44,34,76,1,,1033,false,true'
to_ods() {
  soffice --headless "-env:UserInstallation=file://$work/profile" --infilter="$import_options" \
    --convert-to ods --outdir "$work/ods" "$@" >/dev/null 2>"$work/soffice.err" ||
    fail "soffice: $(cat "$work/soffice.err")"
}

# Every cell of an .ods against its CSV; prints "rows dates floats strings" when all agree.
cat >cells.py <<'EOF'
import csv, re, sys, zipfile
import xml.etree.ElementTree as ET

T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ods, source = sys.argv[1], sys.argv[2]
with open(source, newline="", encoding="utf-8") as f:
    expected = list(csv.reader(f))
root = ET.fromstring(zipfile.ZipFile(ods).read("content.xml"))
rows = []
for row in root.iter(T + "table-row"):
    cells = []
    for c in row.findall(T + "table-cell"):
        repeat = int(c.get(T + "number-columns-repeated") or 1)
        text = "\n".join("".join(p.itertext()) for p in c.iter(X + "p"))
        cell = (c.get(O + "value-type"), c.get(O + "value"), c.get(O + "date-value"), text,
                c.get(T + "formula"))
        cells += [cell] * min(repeat, 64)  # a trailing empty run can repeat to column 1024
    rows.append(cells)
time = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
number = re.compile(r"-?\d+(\.\d+)?")
counts = {"date": 0, "float": 0, "string": 0}
problems = []
for r, fields in enumerate(expected):
    for k, field in enumerate(fields):
        kind, value, date, text, formula = rows[r][k] if k < len(rows[r]) else (None,) * 5
        where = f"{source} row {r + 1} column {expected[0][k]!r} {field!r}:"
        if formula:
            problems.append(f"{where} became the formula {formula}")
        elif field == "":
            if kind is not None:
                problems.append(f"{where} an empty field became {kind}")
        elif r > 0 and time.fullmatch(field):
            # ODF leaves out a time of 00:00:00: "2026-11-24" is that midnight.
            if kind != "date" or (date if "T" in date else date + "T00:00:00") != field.replace(" ", "T"):
                problems.append(f"{where} not the date-time {field}: {kind} {date} {text!r}")
        elif r > 0 and number.fullmatch(field):
            if kind != "float" or abs(float(value) - float(field)) > 1e-9 * max(1, abs(float(field))):
                problems.append(f"{where} not the number: {kind} {value} {text!r}")
        elif kind != "string" or text != field:
            problems.append(f"{where} not the same text: {kind} {text!r}")
        if kind in counts and not formula:
            counts[kind] += 1
print("\n".join(problems) if problems else f"{len(expected)} {counts['date']} {counts['float']} {counts['string']}")
sys.exit(1 if problems else 0)
EOF
# Reads one cell: row and column from 1; "type|value|date-value|text|formula".
cat >cell.py <<'EOF'
import sys, zipfile
import xml.etree.ElementTree as ET
T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
root = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read("content.xml"))
row = list(root.iter(T + "table-row"))[int(sys.argv[2]) - 1]
cells = []
for c in row.findall(T + "table-cell"):
    cells += [c] * min(int(c.get(T + "number-columns-repeated") or 1), 64)
c = cells[int(sys.argv[3]) - 1]
print("|".join([c.get(O + "value-type") or "", c.get(O + "value") or "",
                c.get(O + "date-value") or "",
                "".join("".join(p.itertext()) for p in c.iter(X + "p")), c.get(T + "formula") or ""]))
EOF

# A simulated pair, and a server whose name a spreadsheet would run as a formula, in a
# relationship whose name starts with '-', with sums that do not add up (so check lists it).
"$collect" --db t.db -q simulate --scopes 2 --days 3 --seed 1 --end 2026-11-24T00:00:00Z
printf '%s\n' \
  'timestamp,server,relationship,scope,num_addr,addr_free,addr_in_use,partner_addr_free,this_addr_free,partner_addr_in_use,this_addr_in_use,mode,expected_share,state' \
  '2026-11-23T20:00:00Z,"=HYPERLINK(""x"")",-rel,10.9.0.0/16,100,50,60,25,25,30,30,hot-standby,33.5,normal' \
  '2026-11-23T20:05:00Z,"=HYPERLINK(""x"")",-rel,10.9.0.0/16,100,50,60,25,25,30,30,hot-standby,33.5,normal' >odd.csv
"$collect" --db t.db -q import odd.csv

"$query" --db t.db samples --format csv --time-format spreadsheet --tz Europe/Berlin \
  --since 2026-11-23T20:00:00Z -o samples.csv
"$query" --db t.db trend --format csv --time-format spreadsheet --per-server --buckets \
  -o trend.csv || true # exit 1 or 2: a forecast finding
"$query" --db t.db check --format csv --time-format spreadsheet -o check.csv || true
grep -q '^2026-11-23 21:00:00,' samples.csv || fail "samples: no wall-clock time of Europe/Berlin"
grep -q "^2026-11-23 21:00:00,\"'=HYPERLINK(\"\"x\"\")\",'-rel,10.9.0.0/16," samples.csv ||
  fail "samples: the odd server is not neutralised: $(grep 10.9.0.0 samples.csv | head -1)"
grep -q "^sum-total,critical,\"'=HYPERLINK" check.csv || fail "check does not list the odd server"

started=$(date +%s)
to_ods samples.csv trend.csv check.csv
for name in samples trend check; do
  result=$(python3 cells.py "ods/$name.ods" "$name.csv") || fail "$result"
  read -r rows dates floats strings <<<"$result"
  ((dates > 0 && floats > 0 && strings > 0)) || fail "$name: $result (rows dates floats strings)"
  echo "$name: $rows rows: $dates date-times, $floats numbers, $strings texts; none a formula"
done
# What a person sees: the server as text with its apostrophe, the time as a date-time.
[[ $(python3 cell.py ods/samples.ods 2 2) == "string|||'=HYPERLINK(\"x\")|" ]] ||
  fail "samples B2: $(python3 cell.py ods/samples.ods 2 2)"
[[ $(python3 cell.py ods/samples.ods 2 1) == "date||2026-11-23T21:00:00|2026-11-23 21:00:00|" ]] ||
  fail "samples A2: $(python3 cell.py ods/samples.ods 2 1)"
[[ $(python3 cell.py ods/samples.ods 2 13) == "float|33.5||33.5|" ]] ||
  fail "samples M2 (expected_share): $(python3 cell.py ods/samples.ods 2 13)"

# Without the apostrophe LibreOffice makes the same cell a formula: the check above can fail.
sed "s/\"'=HYPERLINK/\"=HYPERLINK/" samples.csv >bare.csv
to_ods bare.csv
[[ $(python3 cell.py ods/bare.ods 2 2) == *'|of:=HYPERLINK("x")' ]] ||
  fail "the control without the apostrophe is not a formula: $(python3 cell.py ods/bare.ods 2 2)"

# The ISO form of the default is text to LibreOffice; epoch times are plain numbers.
"$query" --db t.db check --format csv -o check-iso.csv || true
"$query" --db t.db check --format csv --time-format epoch -o check-epoch.csv || true
to_ods check-iso.csv check-epoch.csv
[[ $(python3 cell.py ods/check-iso.ods 2 5) == string* ]] || fail "ISO time: $(python3 cell.py ods/check-iso.ods 2 5)"
[[ $(python3 cell.py ods/check-epoch.ods 2 5) == float* ]] || fail "epoch: $(python3 cell.py ods/check-epoch.ods 2 5)"
echo "spreadsheet: LibreOffice $(soffice --version 2>/dev/null | awk '{print $2; exit}'), $(($(date +%s) - started)) s of conversions"
