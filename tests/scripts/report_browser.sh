# fostat-query report checked by the W3C's HTML checker (vnu.jar, tools/vnu-jar) and used in
# a real browser (tests/scripts/report_browser.py): a simulated site of 40 scopes over 30
# days, its report loaded by Debian's headless chromium through chromium-driver and
# python3-selenium, which tools/test installs. Screenshots go to
# $FOSTAT_SCREENSHOTS when set (docs/report.md's come from here), else to the scratch
# directory.
root=$(cd "$(dirname "$0")/../.." && pwd) # before lib.bash moves to its scratch directory
source "$(dirname "$0")/lib.bash" "$1"
python=/usr/bin/python3 # Debian's, which python3-selenium belongs to
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] ||
  fail "chromium and chromium-driver are not installed (tools/test installs them)"
"$python" -c 'import selenium' 2>/dev/null || fail "python3-selenium is not installed (tools/test installs it)"

"$collect" --db site.db -q simulate --scopes 40 --days 30 --end 2026-12-01T00:00:00Z
scopes=$("$query" --db site.db scopes --format csv | tail -n +2 | cut -d, -f3 | sort -u | wc -l)
rc=0
"$query" --db site.db report -o report.html --tz Europe/Zurich || rc=$?
((rc == 1 || rc == 2)) || fail "report: exit $rc on a site with findings, not 1 or 2"
# The W3C's checker (tools/vnu-jar): no error and no warning, CSS included.
jar=$("$root/tools/vnu-jar") || fail "no vnu.jar (tools/test installs it)"
java -jar "$jar" --also-check-css report.html >&2 || fail "the W3C checker finds errors in the report (above)"
echo "report_browser: the W3C checker (vnu.jar) finds nothing to say" >&2
shots=${FOSTAT_SCREENSHOTS:-$work}
mkdir -p "$shots"
# HOME for chromium's profile, inside the scratch directory.
HOME=$work "$python" "$root/tests/scripts/report_browser.py" report.html "$scopes" "$shots" ||
  fail "the report does not work in chromium (above)"
echo "report_browser: pass: $scopes scopes, $(stat -c %s report.html) bytes" >&2
