// The alert composer's live preview: as the dispatcher types, the form is sent to
// /alerts/preview (debounced) and the messages and counts beside it are replaced. The
// voice note of a language is made on request and played in the page. Without scripts the
// "Preview" button does the same with a full page.
(function () {
  "use strict";
  var form = document.getElementById("compose-form");
  var target = document.getElementById("preview");
  var status = document.getElementById("preview-status");
  if (!form || !target || !window.fetch) { return; }
  document.documentElement.classList.add("js");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  var timer = null;
  var sequence = 0;
  var voiceUrls = [];
  var shown = null;  // the form as last previewed: the same form is not previewed again
  // the notices in the page's language, from the status line's data attributes
  var said = function (name) { return status.getAttribute("data-" + name) || ""; };

  function body() {
    return new URLSearchParams(new FormData(form));
  }

  function post(url) {
    return fetch(url, {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf }
    });
  }

  function showVoiceButtons() {
    target.querySelectorAll(".voice-button").forEach(function (button) {
      button.hidden = false;
    });
  }

  function refresh() {
    var now = body().toString();
    if (now === shown) { return; }
    shown = now;
    var mine = ++sequence;
    post("/alerts/preview?fragment=1").then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.text();
    }).then(function (html) {
      if (mine !== sequence) { return; }  // a newer preview is on its way
      voiceUrls.forEach(function (url) { URL.revokeObjectURL(url); });
      voiceUrls = [];
      target.innerHTML = html;
      showVoiceButtons();
      var summary = target.querySelector("[data-summary]");
      status.textContent = summary ? summary.getAttribute("data-summary") : said("updated");
    }).catch(function () {
      if (mine === sequence) {
        shown = null;
        status.textContent = said("failed");
      }
    });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);

  target.addEventListener("click", function (event) {
    var button = event.target.closest(".voice-button");
    if (!button) { return; }
    var language = button.getAttribute("data-language");
    var holder = button.parentNode;
    button.disabled = true;
    status.textContent = said("making-voice");
    post("/alerts/preview/voice/" + encodeURIComponent(language)).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.blob();
    }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      voiceUrls.push(url);
      var audio = holder.querySelector("audio");
      if (!audio) {
        audio = document.createElement("audio");
        audio.controls = true;
        audio.setAttribute("aria-label", button.getAttribute("data-ready") || "");
        holder.appendChild(audio);
      }
      audio.src = url;
      button.disabled = false;
      status.textContent = said("voice-ready");
      audio.focus();
    }).catch(function () {
      button.disabled = false;
      status.textContent = said("voice-failed");
    });
  });

  var problems = document.getElementById("problem-summary");
  if (problems) { problems.focus(); }  // say at once what stopped the alert being saved
  showVoiceButtons();
  if (target.querySelector("[data-summary]")) {
    shown = body().toString();  // the server already previewed this form
  } else {
    refresh();
  }
})();
