// The help inbox tells the dispatcher, in a live region, when new requests arrive.
// It never reloads the page by itself: a dispatcher may be writing a message.
(function () {
  "use strict";
  var box = document.querySelector(".inbox-news");
  if (!box) { return; }
  var news = document.getElementById("inbox-news");
  var shown = parseInt(box.getAttribute("data-latest") || "0", 10);
  var source = box.getAttribute("data-source");
  var told = shown;
  var EVERY_MS = 20000;

  function tell(latest, open) {
    news.textContent = "";
    var text = document.createTextNode(
      box.getAttribute("data-arrived").replace("{open}", String(open)) + " "
    );
    var link = document.createElement("a");
    link.href = "/inbox";
    link.textContent = box.getAttribute("data-show");
    news.appendChild(text);
    news.appendChild(link);
    told = latest;
  }

  function check() {
    fetch(source, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.latest > shown && data.latest !== told) { tell(data.latest, data.open); }
      })
      .catch(function () { /* the next check tries again */ });
  }

  window.setInterval(check, EVERY_MS);
})();
