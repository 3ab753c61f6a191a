// The API lives at api.<site domain>; show whether it answers its health check.
(function () {
  var status = document.getElementById("api-status");
  if (!status) return;
  var api = location.protocol + "//api." + location.hostname + "/health";
  fetch(api).then(function (response) {
    status.textContent = response.ok ? "API is up." : "API answered " + response.status + ".";
  }).catch(function () {
    status.textContent = "API is not reachable from here.";
  });
})();
