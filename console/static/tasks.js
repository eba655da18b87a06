// The task page reloads itself a few times while a workflow closes the task the person has
// just completed (the server marks #task-status with data-refresh="1" until it is closed).
(function () {
  var s = document.getElementById("task-status");
  if (!s || s.getAttribute("data-refresh") !== "1") return;
  var u = new URL(window.location.href);
  var tries = parseInt(u.searchParams.get("tries") || "0", 10);
  if (!(tries < 10)) return;
  u.searchParams.set("tries", String(tries + 1));
  window.setTimeout(function () { window.location.replace(u.toString()); }, 1500);
})();
