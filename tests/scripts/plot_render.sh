# fostat-query plot: the SVG is well-formed XML (xmllint), renders to a PNG of its own size
# (rsvg-convert, as Debian's librsvg2-bin), and the points of each server's utilization line,
# mapped back through the band's data-* axis attributes, are samples of `fostat-query
# samples`: each point one sample, and in each pixel column the lowest and highest value.
# A year of 5-minute samples stays a small file. Skipped (77) only when the tools cannot be
# installed.
root=$(cd "$(dirname "$0")/../.." && pwd) # before lib.bash moves to its scratch directory
source "$(dirname "$0")/lib.bash" "$1"

skip() { echo "SKIP: $*" >&2; exit 77; }
if ! command -v rsvg-convert >/dev/null || ! command -v xmllint >/dev/null || ! command -v python3 >/dev/null; then
  "$root/tools/install-deps" librsvg2-bin libxml2-utils python3 >/dev/null 2>&1 ||
    skip "rsvg-convert, xmllint or python3 is missing and could not be installed (librsvg2-bin libxml2-utils python3)"
fi

# $1 svg, $2 samples CSV: every utilization point is a sample, every column's extremes drawn.
compare() {
  python3 - "$1" "$2" <<'PY'
import csv, math, re, sys, xml.etree.ElementTree as ET
svg, samples = sys.argv[1], sys.argv[2]
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(svg).getroot()
data = {}
for row in csv.DictReader(open(samples, newline="")):
    if row["addr_in_use"] == "" or row["num_addr"] in ("", "0"):
        continue
    data.setdefault((row["scope"], row["server"]), []).append(
        (row["timestamp"], min(100.0, 100.0 * int(row["addr_in_use"]) / int(row["num_addr"]))))
from datetime import datetime
def unix(text):
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").timestamp() - datetime(1970, 1, 1).timestamp())
checked = 0
for panel in root.findall("s:g[@class='panel']", ns):
    scope = panel.get("data-scope")
    band = panel.find("s:g[@class='band utilization']", ns)
    x0, x1, y0, y1, v0, v1 = (float(band.get("data-" + k)) for k in ("x0", "x1", "y0", "y1", "v0", "v1"))
    t0, t1 = int(band.get("data-t0")), int(band.get("data-t1"))
    X = lambda t: x0 + (t - t0) * (x1 - x0) / (t1 - t0)
    Y = lambda v: y0 + (v - v0) * (y1 - y0) / (v1 - v0)
    column = lambda t: min(int(x1 - x0) - 1, max(0, math.floor((t - t0) * (x1 - x0) / (t1 - t0))))
    for path in band.findall("s:path[@class='utilization']", ns):
        server = path.get("data-server")
        series = [(unix(ts), u) for ts, u in data[(scope, server)]]
        points = [(float(x), float(y)) for x, y in re.findall(r"[ML](-?[\d.]+) (-?[\d.]+)", path.get("d"))]
        assert points, f"{scope} {server}: an empty line"
        by_column = {}
        for t, u in series:
            by_column.setdefault(column(t), []).append((t, u))
        drawn = {}
        for x, y in points:
            c = math.floor(x - x0 + 1e-9)
            near = [(t, u) for cc in (c - 1, c, c + 1) for t, u in by_column.get(cc, [])
                    if abs(X(t) - x) <= 0.006 and abs(Y(u) - y) <= 0.006]
            assert near, f"{scope} {server}: point {x},{y} is no sample"
            for t, u in near:
                drawn.setdefault(column(t), set()).add(round(u, 9))
        for c, values in by_column.items():
            us = [u for _, u in values]
            for want in (min(us), max(us)):
                assert round(want, 9) in drawn.get(c, set()), f"{scope} {server}: column {c} lacks {want}"
        # Two a column, and two more where a gap cuts the line inside a column.
        segments = path.get("d").count("M")
        assert len(points) <= 2 * (len(by_column) + segments), f"{scope} {server}: too many points"
        checked += len(points)
print(checked)
PY
}

# png width and height from its IHDR.
png_size() { python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); assert d[:8]==b"\x89PNG\r\n\x1a\n"; print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"; }
svg_size() { sed -n 's/.*<svg [^>]*width="\([0-9]*\)" height="\([0-9]*\)".*/\1x\2/p' "$1"; }

"$collect" --db m.db -q simulate --scopes 6 --days 30 --seed 1 --end 2026-11-24T00:00:00Z
"$query" --db m.db plot --scope 10.0.0.0/24 --scope 10.0.8.0/22 --tz America/New_York -o p.svg
xmllint --noout p.svg || fail "p.svg is not well-formed XML"
rsvg-convert p.svg -o p.png || fail "rsvg-convert failed on p.svg"
[[ $(png_size p.png) == "$(svg_size p.svg)" && $(svg_size p.svg) == 800x* ]] ||
  fail "p.png is $(png_size p.png), the SVG says $(svg_size p.svg)"
"$query" --db m.db samples --scope 10.0.0.0/24 --scope 10.0.8.0/22 --format csv -o s.csv
n=$(compare p.svg s.csv) || fail "the utilization lines of p.svg do not match the samples"
echo "30 days, 2 scopes: $(stat -c %s p.svg) bytes, $n utilization points checked"

# One scope, 800 x 400 at most.
"$query" --db m.db plot --scope 10.0.4.0/24 -o one.svg
rsvg-convert one.svg -o one.png || fail "rsvg-convert failed on one.svg"
[[ $(png_size one.png) == 800x* ]] && (($(png_size one.png | cut -dx -f2) <= 400)) ||
  fail "one scope: $(png_size one.png), expected 800 x at most 400"

# A year of 5-minute samples: at most two points a pixel column, so a small file.
"$collect" --db y.db -q simulate --scopes 1 --days 365 --seed 3 --end 2026-11-24T00:00:00Z
start=$(date +%s%N)
"$query" --db y.db plot --scope 10.0.0.0/24 -o y.svg
ms=$((($(date +%s%N) - start) / 1000000))
xmllint --noout y.svg || fail "y.svg is not well-formed XML"
rsvg-convert y.svg -o y.png || fail "rsvg-convert failed on y.svg"
"$query" --db y.db samples --format csv -o y.csv
n=$(compare y.svg y.csv) || fail "the utilization lines of y.svg do not match the samples"
size=$(stat -c %s y.svg)
((size < 1000000)) || fail "a year's plot is $size bytes"
echo "a year, 1 scope ($(($(wc -l <y.csv) - 1)) samples): $size bytes in $ms ms, $n utilization points checked"
