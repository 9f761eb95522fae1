import Crypto
import Foundation

/// The page's only style sheet and script, inlined; the script carries no data, it only sorts and filters.
enum ProofPageAssets {
  static let style = """
    :root{--ink:#1d2330;--muted:#5b6474;--line:#dde1e8;--bg:#f6f7f9;--card:#fff;--ok:#1a7f37;--bad:#c62828;
    --warn:#9a6700;--accent:#0b57d0}
    *{box-sizing:border-box}
    body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif;color:var(--ink);
    background:var(--bg)}
    header{background:#1d2330;color:#fff;padding:18px 0 0}
    header h1{margin:0;font-size:22px}
    header .meta{margin:4px 0 12px;color:#c8cedb}
    header nav{display:flex;flex-wrap:wrap;gap:2px}
    header nav a{color:#dfe5f1;text-decoration:none;padding:6px 10px;border-radius:6px 6px 0 0}
    header nav a:hover{background:#2c3445}
    .wrap{max-width:1320px;margin:0 auto;padding:0 24px}
    section{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:18px 0;padding:16px 20px;
    content-visibility:auto;contain-intrinsic-size:auto 600px}
    h2{font-size:18px;margin:0 0 12px}
    h3{font-size:15px;margin:16px 0 8px}
    p.note{color:var(--muted);margin:6px 0}
    code{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;background:#f0f2f5;padding:1px 4px;border-radius:3px}
    a{color:var(--accent)}
    .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}
    .card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;border-top:4px solid var(--c,#888)}
    .card .cat{font-weight:600;text-transform:capitalize}
    .card .big{font-size:30px;font-weight:700;margin:2px 0}
    .card .small{color:var(--muted);font-size:12px}
    .bar{height:6px;background:#eceff3;border-radius:3px;margin:6px 0}
    .bar span{display:block;height:6px;border-radius:3px;background:var(--c,#888)}
    .trend{font-weight:600;font-size:13px}
    .trend.up{color:var(--ok)}.trend.down{color:var(--bad)}.trend.same,.trend.none{color:var(--muted)}
    .spark{width:140px;height:30px;display:block;margin-top:6px}
    .figures{display:flex;flex-wrap:wrap;gap:10px}
    .figure{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:150px}
    .figure b{display:block;font-size:22px}
    .figure span{color:var(--muted);font-size:12px}
    .chart{width:100%;max-width:760px;height:auto;display:block}
    .chart.bars{max-width:730px}
    .chart .grid{stroke:#e3e6ec;stroke-width:1}
    .chart .axis,.chart .label,.chart .value{font-size:12px;fill:#5b6474}
    .chart .label{fill:#1d2330;font-weight:600}
    .level-0{fill:#b0b7c3}.level-1{fill:#c0803a}.level-2{fill:#8c99a8}.level-3{fill:#d4a514}.level-4{fill:#2f6f9f}
    .legend{display:flex;flex-wrap:wrap;gap:14px;margin:8px 0 0;padding:0;list-style:none}
    .legend li::before{content:"";display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;
    background:var(--c);vertical-align:-1px}
    table{border-collapse:collapse;width:100%}
    th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
    th{background:#f0f2f5;font-weight:600;white-space:nowrap;position:sticky;top:0}
    table.sortable th{cursor:pointer;user-select:none}
    table.sortable th::after{content:" \\2195";color:#a0a8b6;font-size:11px}
    th[aria-sort=ascending]::after{content:" \\2191";color:var(--ink)}
    th[aria-sort=descending]::after{content:" \\2193";color:var(--ink)}
    td.num,th.num{text-align:right}
    td code,td.date,td.sha{white-space:nowrap}
    #repository-table td:first-child{white-space:nowrap}
    #repository-table th{font-size:12px}
    td.y{color:var(--ok);text-align:center}td.n{color:var(--bad);text-align:center;font-weight:700}
    td.u{color:var(--muted);text-align:center}
    .scroll{max-height:640px;overflow:auto;border:1px solid var(--line);border-radius:6px}
    .controls{display:flex;gap:10px;align-items:center;margin:0 0 10px}
    .controls select,.controls input{font:inherit;padding:5px 8px;border:1px solid #c4cad4;border-radius:6px}
    .controls .count{color:var(--muted)}
    .sev{font-weight:600;white-space:nowrap}
    .sev.error{color:var(--bad)}.sev.warning{color:var(--warn)}.sev.note{color:var(--muted)}
    .pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;margin-left:6px;background:#eceff3}
    .pill.error{background:#fde2e1;color:#8c1d18}.pill.warning{background:#fff1c2;color:#6b4b00}
    tr.expired td{background:#fdecea}tr.unused td{background:#fff7da}
    .state{font-weight:700;text-transform:uppercase;font-size:11px;letter-spacing:.04em}
    tr.expired .state{color:var(--bad)}tr.unused .state{color:var(--warn)}tr.active .state{color:var(--ok)}
    details.repo{border-bottom:1px solid var(--line);padding:4px 0}
    details.repo summary{cursor:pointer;padding:3px 0}
    tr.x{display:none}
    ul.findings{list-style:none;margin:4px 0 10px;padding:0;font-size:13px}
    ul.findings li{padding:4px 0 4px 78px;text-indent:-78px;border-bottom:1px solid #eef0f3}
    ul.findings li::before{content:attr(class);display:inline-block;width:74px;margin-right:4px;text-indent:0;
    font-weight:600}
    ul.findings li.error::before{color:var(--bad)}ul.findings li.warning::before{color:var(--warn)}
    ul.findings li.note::before,ul.findings li.more::before{color:var(--muted)}
    ul.findings li.more::before{content:""}
    .by{color:var(--muted);white-space:nowrap}
    button{font:inherit;padding:5px 12px;border:1px solid #c4cad4;border-radius:6px;background:#fff;cursor:pointer}
    .muted{color:var(--muted)}
    .sha{font:12px ui-monospace,"DejaVu Sans Mono",monospace}
    footer{color:var(--muted);font-size:12px;padding:8px 0 40px}
    footer pre{max-height:320px;overflow:auto;background:#fff;border:1px solid var(--line);padding:8px;font-size:11px}
    """

  static let script = """
    (function () {
      function sortable(table) {
        var head = table.tHead;
        if (!head) return;
        head.addEventListener('click', function (event) {
          var th = event.target.closest('th');
          if (!th) return;
          var column = th.cellIndex, numeric = th.classList.contains('num');
          var ascending = th.getAttribute('aria-sort') !== 'ascending';
          var cells = head.rows[0].cells;
          for (var i = 0; i < cells.length; i++) cells[i].removeAttribute('aria-sort');
          th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
          var body = table.tBodies[0];
          var keyed = Array.prototype.map.call(body.rows, function (row) {
            var cell = row.cells[column], text = '';
            if (cell) text = cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent;
            return [numeric ? parseFloat(text) : text.toLowerCase(), row];
          });
          keyed.sort(function (a, b) {
            var x = a[0], y = b[0], order;
            if (numeric) {
              if (isNaN(x) || isNaN(y)) return isNaN(x) === isNaN(y) ? 0 : (isNaN(x) ? 1 : -1);
              order = x - y;
            } else {
              order = x < y ? -1 : (x > y ? 1 : 0);
            }
            return ascending ? order : -order;
          });
          var fragment = document.createDocumentFragment();
          keyed.forEach(function (pair) { fragment.appendChild(pair[1]); });
          body.appendChild(fragment);
          if (table === repositories) paginate();
        });
      }
      var repositories = document.getElementById('repository-table'), more = document.getElementById('more');
      var everything = false, pageSize = repositories ? +repositories.getAttribute('data-page') : 0;
      // The first page of matching rows is shown; the rest wait for "show all".
      function paginate() {
        if (!repositories) return;
        var rows = repositories.tBodies[0].rows, matching = 0;
        for (var i = 0; i < rows.length; i++) {
          if (rows[i].hidden) continue;
          matching++;
          rows[i].classList.toggle('x', !everything && matching > pageSize);
        }
        if (more) {
          more.hidden = everything || matching <= pageSize;
          more.textContent = 'show all ' + matching + ' repositories';
        }
      }
      if (more) more.addEventListener('click', function () { everything = true; paginate(); });
      Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), sortable);

      var team = document.getElementById('team'), query = document.getElementById('q');
      var shown = document.getElementById('shown');
      function filter() {
        var wanted = team ? team.value : '', text = query ? query.value.trim().toLowerCase() : '';
        var items = document.querySelectorAll('[data-team]'), rows = 0, visible = 0;
        for (var i = 0; i < items.length; i++) {
          var item = items[i];
          var keep = (!wanted || item.getAttribute('data-team') === wanted) &&
            (!text || item.getAttribute('data-name').indexOf(text) >= 0);
          item.hidden = !keep;
          if (item.tagName === 'TR') { rows++; if (keep) visible++; }
        }
        if (shown) shown.textContent = visible === rows ? rows + ' repositories' : visible + ' of ' + rows + ' repositories';
        paginate();
      }
      if (team) team.addEventListener('change', filter);
      if (query) query.addEventListener('input', filter);

      function openTarget() {
        var id = decodeURIComponent(location.hash.slice(1)), target = id && document.getElementById(id);
        if (target && target.tagName === 'DETAILS') target.open = true;
      }
      window.addEventListener('hashchange', openTarget);
      openTarget();
    })();
    """

  /// The page may run only this script and load nothing: a Content-Security-Policy that says so.
  static var contentSecurityPolicy: String {
    let digest = Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString()
    return
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-\(digest)'; "
      + "base-uri 'none'; form-action 'none'"
  }
}
