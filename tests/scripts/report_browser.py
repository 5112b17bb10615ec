"""fostat-query report's page in a real browser: Debian's chromium, headless, driven through
chromium-driver by Debian's python3-selenium (tests/scripts/report_browser.sh runs it).

    report_browser.py PAGE EXPECTED_SCOPES SCREENSHOT_DIR

Loads PAGE from file:// and checks what an administrator does with it: no console error and
no request for anything; every scope a row, the riskiest first; filtering by severity,
server and text, and sorting by utilization, change the rows as they should; opening a
scope draws its chart. Writes screenshots of the page and of an opened chart to
SCREENSHOT_DIR. Prints one line per check; exits 1 at the first that fails.
"""

import json
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

page, expected_scopes, shots = pathlib.Path(sys.argv[1]), int(sys.argv[2]), pathlib.Path(sys.argv[3])


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def note(message):
    print(f"report_browser: {message}", file=sys.stderr)


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                 "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--metrics-recording-only", "--disable-default-apps"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(page.resolve().as_uri())

    def visible_rows():
        return [r for r in driver.find_elements(By.CSS_SELECTOR, "tr.scope") if r.is_displayed()]

    def shown_text():
        return driver.find_element(By.ID, "shown").text

    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    if errors:
        fail(f"console errors: {errors}")
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    if resources:
        fail(f"the page requested {resources}")
    paint = driver.execute_script(
        "const p = performance.getEntriesByName('first-contentful-paint')[0];"
        "return p ? p.startTime : null")
    note(f"loaded: no console error, no request; first contentful paint {paint:.0f} ms"
         if paint is not None else "loaded: no console error, no request")

    rows = driver.find_elements(By.CSS_SELECTOR, "tr.scope")
    if len(rows) != expected_scopes:
        fail(f"{len(rows)} scope rows, expected {expected_scopes}")
    if shown_text() != f"{expected_scopes} of {expected_scopes} scopes":
        fail(f"#shown says {shown_text()!r}")
    rank = {"critical": 3, "warning": 2, "info": 1, "ok": 0}
    severities = [r.get_attribute("data-severity") for r in rows]
    if [rank[s] for s in severities] != sorted((rank[s] for s in severities), reverse=True):
        fail(f"rows are not worst first: {severities}")
    note(f"{len(rows)} rows, worst first: {severities.count('critical')} critical, "
         f"{severities.count('warning')} warning")
    driver.save_screenshot(str(shots / "report.png"))

    # Severity: critical only.
    Select(driver.find_element(By.ID, "filter-severity")).select_by_value("critical")
    shown = visible_rows()
    want = severities.count("critical")
    if len(shown) != want or any(r.get_attribute("data-severity") != "critical" for r in shown):
        fail(f"severity critical shows {len(shown)} rows, expected the {want} critical ones")
    if shown_text() != f"{want} of {expected_scopes} scopes":
        fail(f"#shown says {shown_text()!r} with the critical filter")
    Select(driver.find_element(By.ID, "filter-severity")).select_by_value("")

    # Text: one scope by its address.
    scope = rows[-1].get_attribute("data-scope")
    box = driver.find_element(By.ID, "filter-text")
    box.send_keys(scope + " ")  # the space ends it: 10.0.1.0/24 is not 10.0.1.0/25
    box.send_keys("\b")
    shown = visible_rows()
    exact = [r for r in shown if r.get_attribute("data-scope") == scope]
    if not exact or any(scope not in r.text for r in shown):
        fail(f"text {scope!r} shows {[r.get_attribute('data-scope') for r in shown]}")
    box.clear()
    driver.execute_script("document.getElementById('filter-text').dispatchEvent(new Event('input'))")

    # Server: a server no scope has is impossible (the list comes from the rows); each
    # server's rows are those that name it.
    server_select = Select(driver.find_element(By.ID, "filter-server"))
    for option in [o.get_attribute("value") for o in server_select.options if o.get_attribute("value")]:
        server_select.select_by_value(option)
        shown = visible_rows()
        want = [r for r in rows if option in r.get_attribute("data-servers").split(" ")]
        if len(shown) != len(want):
            fail(f"server {option} shows {len(shown)} rows, expected {len(want)}")
    server_select.select_by_value("")
    relationship_select = Select(driver.find_element(By.ID, "filter-relationship"))
    for option in [o.get_attribute("value") for o in relationship_select.options if o.get_attribute("value")]:
        relationship_select.select_by_value(option)
        shown = visible_rows()
        want = [r for r in rows if option in r.get_attribute("data-relationships").split(" ")]
        if not want or len(shown) != len(want):
            fail(f"relationship {option} shows {len(shown)} rows, expected {len(want)}")
    relationship_select.select_by_value("")
    if len(visible_rows()) != expected_scopes:
        fail("clearing the filters does not bring every row back")
    note("filters: severity, text, server and relationship show the rows they should, and clearing brings all back")

    # Sorting by utilization: ascending, then descending, empty values last.
    button = driver.find_element(By.CSS_SELECTOR, "th button[data-sort=utilization]")
    for direction in ("ascending", "descending"):
        button.click()
        values = [r.get_attribute("data-utilization") for r in driver.find_elements(By.CSS_SELECTOR, "tr.scope")]
        numbers = [float(v) for v in values if v]
        want = sorted(numbers, reverse=direction == "descending")
        if numbers != want or values[len(numbers):] != [""] * (len(values) - len(numbers)):
            fail(f"utilization {direction}: {values}")
    driver.find_element(By.CSS_SELECTOR, "th button[data-sort=rank]").click()
    if [r.get_attribute("data-rank") for r in driver.find_elements(By.CSS_SELECTOR, "tr.scope")] != [str(i) for i in range(len(rows))]:
        fail("sorting by risk again does not restore the report's order")
    note("sorting: utilization ascending and descending, then risk again")

    # Opening the riskiest scope draws its chart, one utilization line per server.
    first = driver.find_elements(By.CSS_SELECTOR, "tr.scope")[0]
    data = json.loads(driver.find_element(By.ID, "fostat-data").get_attribute("textContent"))
    servers = len(data["scopes"][0]["servers"])
    if driver.find_elements(By.CSS_SELECTOR, ".chart svg"):
        fail("a chart is drawn before it is opened")
    first.find_element(By.CSS_SELECTOR, "button.open-chart").click()
    chart_row = driver.find_element(By.CSS_SELECTOR, "#s-0 + tr.chart-row")
    if not chart_row.is_displayed():
        fail("the chart row does not show when opened")
    paths = chart_row.find_elements(By.CSS_SELECTOR, "svg path.util")
    drawn = [p for p in paths if len(p.get_attribute("d") or "") > 20]
    if len(drawn) != servers:
        fail(f"the chart has {len(drawn)} utilization lines drawn, expected {servers}")
    # plot's picture: a free band per server, its own free addresses as an area and its
    # partner's stacked on them, hatched by a pattern the page defines; the episodes shaded.
    # (The legend's swatches are in its own group, not children of the chart's svg.)
    for kind in ("own-free", "partner-free"):
        areas = [p for p in chart_row.find_elements(By.CSS_SELECTOR, f"svg > path.{kind}")
                 if (p.get_attribute("d") or "").count("Z") >= 1]
        if len(areas) != servers:
            fail(f"the chart has {len(areas)} {kind} areas, expected {servers}")
    fill = driver.execute_script(
        "return getComputedStyle(arguments[0]).fill",
        chart_row.find_element(By.CSS_SELECTOR, "svg path.partner-free"))
    if "fostat-partner" not in fill or not driver.find_elements(By.CSS_SELECTOR, "pattern#fostat-partner"):
        fail(f"the partner's free addresses are filled with {fill!r}, not the page's hatch pattern")
    shades = data["scopes"][0]["shades"]
    drawn_shades = chart_row.find_elements(By.CSS_SELECTOR, "svg > rect.starved, svg > rect.imbalance")
    if len(drawn_shades) != len(shades):
        fail(f"the chart shades {len(drawn_shades)} episodes, its data has {len(shades)}")
    marks = chart_row.find_elements(By.CSS_SELECTOR, "svg > path.mark")
    if len(marks) != len(data["scopes"][0]["marks"]):
        fail(f"the chart has {len(marks)} invariant marks, its data {len(data['scopes'][0]['marks'])}")
    if len(driver.find_elements(By.CSS_SELECTOR, ".chart svg")) != 1:
        fail("opening one scope drew more than one chart")
    first.find_element(By.CSS_SELECTOR, "button.open-chart").click()  # closes it again
    if chart_row.is_displayed():
        fail("a second press does not close the chart")

    # A scope that runs out: its chart names the date, as its row does.
    running_out = next(r for r in driver.find_elements(By.CSS_SELECTOR, "tr.scope")
                       if r.get_attribute("data-runs-out"))
    running_out.find_element(By.CSS_SELECTOR, "button.open-chart").click()
    row_id = running_out.get_attribute("id")
    label = driver.find_element(By.CSS_SELECTOR, f"#{row_id} + tr.chart-row svg text.runs-out").text
    date = running_out.find_elements(By.TAG_NAME, "td")[6].text
    if date not in label:
        fail(f"the chart of {running_out.get_attribute('data-scope')} says {label!r}, its row {date!r}")
    if not driver.find_elements(By.CSS_SELECTOR, f"#{row_id} + tr.chart-row svg path.forecast"):
        fail(f"the chart of {running_out.get_attribute('data-scope')} has no forecast line")
    rank = int(running_out.get_attribute("data-rank"))
    own_forecasts = sum("own_forecast" in s for s in data["scopes"][rank]["servers"])
    drawn_forecasts = driver.find_elements(By.CSS_SELECTOR, f"#{row_id} + tr.chart-row svg > path.forecast")
    if len(drawn_forecasts) != own_forecasts + ("forecast" in data["scopes"][rank]):
        fail(f"the chart of {running_out.get_attribute('data-scope')} draws {len(drawn_forecasts)} "
             f"forecasts, its data has {own_forecasts} own and the scope's")
    driver.execute_script("arguments[0].scrollIntoView()", running_out)
    driver.save_screenshot(str(shots / "report-chart.png"))
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    if errors:
        fail(f"console errors after using the page: {errors}")
    note(f"opening {first.get_attribute('data-scope')} drew its chart ({servers} servers, "
         f"{len(shades)} shaded episodes, {len(marks)} marks), a second "
         f"press closed it; {running_out.get_attribute('data-scope')}'s chart has its forecast and says {label!r}; "
         f"screenshots in {shots}")
finally:
    driver.quit()
