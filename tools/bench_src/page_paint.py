"""How long a page takes to show in Debian's headless chromium, for tools/bench: loads each
PAGE from file://, REPEATS times, and writes to OUT one line per page: the median first
contentful paint and the median load event, in milliseconds, and the table rows the page
has once loaded.

    page_paint.py REPEATS OUT PAGE...
"""

import statistics
import sys
import pathlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

repeats, out, pages = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                 "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
lines = []
try:
    for page in pages:
        paints, loads = [], []
        for _ in range(repeats):
            driver.get("about:blank")
            driver.get(pathlib.Path(page).resolve().as_uri())
            # The paint entry may come after the load event: wait for it (buffered).
            paint, load, rows = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "new PerformanceObserver((list, observer) => {"
                "  const p = list.getEntriesByName('first-contentful-paint')[0];"
                "  if (!p) return;"
                "  observer.disconnect();"
                "  const n = performance.getEntriesByType('navigation')[0];"
                "  done([p.startTime, n.loadEventEnd, document.querySelectorAll('tbody tr').length]);"
                "}).observe({type: 'paint', buffered: true});")
            paints.append(paint)
            loads.append(load)
        lines.append(f"{statistics.median(paints):.0f} {statistics.median(loads):.0f} {rows}\n")
finally:
    driver.quit()
pathlib.Path(out).write_text("".join(lines))
