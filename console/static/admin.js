// The registration list: while a big file is sent and imported, say so in a live region
// and keep the button from being pressed twice.
(function () {
  "use strict";
  var form = document.querySelector('form[action="/admin/registry"]');
  if (!form) { return; }
  var status = document.createElement("p");
  status.className = "import-status notice";
  status.setAttribute("role", "status");
  form.appendChild(status);
  form.addEventListener("submit", function () {
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.disabled = true; }
    status.textContent = form.getAttribute("data-importing") || "";
  });
})();
