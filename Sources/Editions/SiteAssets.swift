/// The site's style and scripts, kept in the binary so that `accord` is one
/// file to install. Plain JavaScript: no libraries, no network but the
/// files beside the page.
enum SiteAssets {
    static let css = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #0b0c0c; }
        nav { background: #0b0c0c; color: #fff; padding: 0.6em 1em; }
        nav a { color: #fff; }
        main { padding: 1em; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
        th, td { border: 1px solid #b1b4b6; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
        th { background: #f3f2f1; position: sticky; top: 0; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.d { white-space: nowrap; }
        code { word-break: break-all; }
        #verify-status { font-weight: bold; font-size: 1.2em; }
        #verify-status.verified { color: #00703c; }
        #verify-status.failed { color: #d4351c; }
        #verify-details li.failed { color: #d4351c; }
        dt { font-weight: bold; }
        dd { margin: 0 0 0.5em 1em; white-space: pre-wrap; }

        """

    static let filterScript = """
        "use strict";
        // Filters the register table by a search text, a list and a status.
        (function () {
          const table = document.getElementById("register-table");
          if (!table) return;
          const search = document.getElementById("search");
          const list = document.getElementById("list");
          const status = document.getElementById("status");
          const shown = document.getElementById("shown");
          const rows = Array.from(table.tBodies[0].rows);
          const headers = Array.from(table.tHead.rows[0].cells).map((cell) => cell.textContent);
          const statusColumn = headers.indexOf("Status on the edition date");
          const texts = rows.map((row) => row.textContent.toLowerCase());
          function apply() {
            const query = search.value.trim().toLowerCase();
            let count = 0;
            rows.forEach((row, i) => {
              const keep = (!query || texts[i].includes(query))
                && (!list.value || row.cells[0].textContent === list.value)
                && (!status.value || row.cells[statusColumn].textContent === status.value);
              row.hidden = !keep;
              if (keep) count++;
            });
            shown.textContent = count + " of " + rows.length + " shown";
          }
          search.addEventListener("input", apply);
          list.addEventListener("change", apply);
          status.addEventListener("change", apply);
          apply();
        })();

        """
}
