// Side panel: show the fields of the figure under the pointer (or focused / linked).
// Data comes from the JSON block; values are written with textContent, never as HTML.
(function () {
  var data = JSON.parse(document.getElementById("figdata").textContent);
  var body = document.getElementById("panel-body");
  var fields = ["surface", "value", "kind", "qualifier", "entity", "status", "measure_text",
                "subject", "period", "is_target", "rule", "checks", "figure_id"];
  var active = null;
  function show(mark) {
    var f = data[mark.getAttribute("data-fid")];
    if (!f) return;
    if (active) active.classList.remove("active");
    active = mark; mark.classList.add("active");
    body.textContent = "";
    fields.forEach(function (k) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = k; dd.textContent = f[k] === null || f[k] === undefined ? "–" : String(f[k]);
      if (k === "checks" && f.failed) dd.className = "failc";
      body.appendChild(dt); body.appendChild(dd);
    });
  }
  document.querySelectorAll("mark.fig").forEach(function (m) {
    m.addEventListener("mouseenter", function () { show(m); });
    m.addEventListener("focus", function () { show(m); });
    m.addEventListener("click", function () { show(m); });
  });
  var hash = decodeURIComponent(location.hash.slice(1));
  var first = (hash && document.getElementById(hash)) || document.querySelector("mark.fig.bad") || document.querySelector("mark.fig");
  if (first && first.tagName === "MARK") show(first);
})();
