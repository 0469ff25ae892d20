// One-key actions on the queue and story review: j/k move the selection, a letter presses the
// selected item's button with that data-key. Everything also works without this file (plain forms).
(function () {
  // Items the reader can see (a closed "faded" list is skipped by j/k).
  function items() { return Array.from(document.querySelectorAll("[data-item]")).filter(function (x) { return x.offsetParent !== null; }); }
  function select(el) {
    items().forEach(function (x) { x.classList.remove("selected"); });
    if (el) { el.classList.add("selected"); el.focus({ preventScroll: true }); el.scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    // Filters submit on change (here, not in an inline handler: the Content-Security-Policy forbids those).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
      s.addEventListener("change", function () { s.form.submit(); });
    });
    var pickAll = document.getElementById("pick-all");
    if (pickAll) pickAll.addEventListener("change", function () {
      items().forEach(function (el) { var box = el.querySelector("input.pick"); if (box) box.checked = pickAll.checked; });
    });
    var all = items();
    // After an action the page comes back with ?sel=<id>: the acted item while it is still listed, else the
    // one after it. Select it and bring it into view where it is (no jump to the top of the list).
    var sel = new URLSearchParams(location.search).get("sel");
    var kept = sel ? document.querySelector('[data-item="' + sel + '"]') : null;
    if (kept && kept.offsetParent === null) { var box = kept.closest("details"); if (box) box.open = true; }
    select(kept || all[0]);
    if (kept) kept.scrollIntoView({ block: "center" }); else window.scrollTo(0, 0);
    document.querySelectorAll("[data-item]").forEach(function (el) { el.addEventListener("click", function () { select(el); }); });
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t.matches("input, textarea") || (t.matches("select") && e.key !== "Enter")) return;
    if (e.key === "u") {
      var undo = document.querySelector("form.undo button");
      if (undo) { e.preventDefault(); undo.click(); }
      return;
    }
    var all = items();
    if (!all.length) return;
    var i = all.findIndex(function (x) { return x.classList.contains("selected"); });
    var current = all[i] || all[0];
    if (t.matches("select[data-key]") && e.key === "Enter") {
      if (t.value) { e.preventDefault(); current.querySelector("button[value=retag]").click(); }
      return;
    }
    if (e.key === "j" || e.key === "k") {
      e.preventDefault();
      select(all[Math.max(0, Math.min(all.length - 1, i + (e.key === "j" ? 1 : -1)))]);
      return;
    }
    var control = current.querySelector('[data-key="' + e.key + '"]');
    if (!control) return;
    e.preventDefault();
    if (control.tagName === "SELECT") { control.focus(); return; }
    if (control.dataset.ask) {
      var why = window.prompt(control.dataset.ask);
      if (!why) return;
      current.querySelector("input[name=reason]").value = why;
    }
    control.click();
  });
})();
