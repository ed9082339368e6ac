#include "webapp/assets.hpp"

namespace sparks::webapp {

std::string_view stylesheet() {
  return R"css(:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #d9dce1;
  --accent: #0b57d0; --bad: #b3261e; --ok: #137333; --warn: #b06000; --paper: #fff; --soft: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--soft); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: var(--paper); padding: 4px 8px; z-index: 1; }
header.top { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
  gap: 8px; padding: 8px 16px; background: var(--paper); border-bottom: 1px solid var(--line); }
header.top nav ul { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 0;
  padding: 0; }
header.top nav a { text-decoration: none; padding: 4px 0; }
header.top nav a[aria-current="page"] { font-weight: 600; border-bottom: 2px solid var(--accent); }
.sign-out .who { color: var(--muted); font-size: 14px; }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
h1 { font-size: 28px; margin: 8px 0 16px; }
button, a.button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, a.button.secondary { background: var(--paper); color: var(--accent); }
button[disabled] { background: #c4c7cc; border-color: #c4c7cc; color: #45484d; cursor: not-allowed; }
form { margin: 0; display: inline; }
form.stack { display: block; max-width: 420px; background: var(--paper); padding: 16px;
  border: 1px solid var(--line); border-radius: 8px; }
form.stack label { display: block; font-weight: 600; margin-bottom: 4px; }
form.stack input { display: block; width: 100%; font: inherit; padding: 8px; margin-bottom: 12px;
  border: 1px solid var(--muted); border-radius: 6px; }
.error { color: var(--bad); font-weight: 600; }
.flash { padding: 10px 14px; border-radius: 6px; margin-bottom: 16px; background: #e6f4ea;
  border: 1px solid #a8dab5; }
.flash[data-flash="refused"], .flash[data-flash="failed"] { background: #fce8e6; border-color: #f4b6b0; }
.flash[data-flash="partial"] { background: #fef7e0; border-color: #f5d77a; }
#cards { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
.card h2 { margin: 0 0 8px; font-size: 20px; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0 0 12px; }
.card dt { color: var(--muted); }
.card dd { margin: 0; }
.card dd ul { margin: 0; padding-left: 18px; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; }
.dot-green { background: var(--ok); } .dot-yellow { background: #f9ab00; }
.dot-red { background: var(--bad); } .dot-grey { background: #9aa0a6; }
ul.issues { padding-left: 18px; color: var(--warn); }
ul.issues .troubleshooting { display: block; color: var(--muted); font-size: 14px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; }
.why-disabled { color: var(--muted); font-size: 14px; margin: 8px 0 0; }
table { width: 100%; border-collapse: collapse; background: var(--paper); }
th, td { text-align: left; padding: 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); }
td ul { margin: 0; padding-left: 18px; }
.pager { margin-top: 12px; }
.muted { color: var(--muted); }
@media (max-width: 640px) {
  #cards { grid-template-columns: 1fr; }
  main { padding: 8px; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; left: -999px; }
  tr { border-bottom: 2px solid var(--line); }
  td { border: 0; padding: 4px 8px; }
  td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
}
)css";
}

std::string_view script() {
  return R"js((function () {
  'use strict';
  var cards = document.getElementById('cards');
  if (!cards || !cards.dataset.refresh) return;
  var url = cards.dataset.refresh;
  var busy = false;
  var last = null;  // the last fragment put in: the browser's innerHTML reads back differently
  // The focused button, by its platform and action, so that a refresh keeps keyboard focus.
  function focusKey() {
    var el = document.activeElement;
    if (!el || !cards.contains(el)) return null;
    var card = el.closest('[data-platform]');
    return card ? [card.dataset.platform, el.dataset.action || ''] : null;
  }
  function refocus(key) {
    if (!key) return;
    var card = cards.querySelector('[data-platform="' + key[0] + '"]');
    var el = card && card.querySelector('[data-action="' + key[1] + '"]');
    if (el) el.focus();
  }
  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (r) {
        if (r.status === 401) { window.clearInterval(timer); return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html !== null && html !== last) {
          last = html;
          var key = focusKey();
          cards.innerHTML = html;
          refocus(key);
        }
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  var timer = window.setInterval(refresh, 2000);
})();
)js";
}

}  // namespace sparks::webapp
