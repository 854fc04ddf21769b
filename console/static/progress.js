// Live progress of an alert: the counts table follows the server's event stream in place.
// A screen reader hears a short summary at most every ANNOUNCE_EVERY_MS, never each change.
// Without JavaScript (or EventSource) the page keeps its "Refresh" link.
(function () {
  "use strict";

  var ANNOUNCE_EVERY_MS = 10000;
  var section = document.querySelector("[data-progress-events]");
  if (!section || typeof window.EventSource !== "function") {
    return;
  }

  var field = function (name) {
    return section.querySelector('[data-field="' + name + '"]') ||
      document.querySelector('[data-field="' + name + '"]');
  };
  var announcer = field("announcer");
  var connection = field("connection");
  var initialState = section.getAttribute("data-state");
  var lastSaid = announcer ? announcer.getAttribute("data-last") || "" : "";
  var lastSaidAt = Date.now();
  var waiting = null;
  var timer = null;

  // figures and notices in the page's language (the server wrote the first ones the same way)
  var locale = document.documentElement.lang || "en";
  var said = function (name) { return section.getAttribute("data-" + name) || ""; };

  function number(value) {
    return Number(value).toLocaleString(locale);
  }

  function setCell(name, value) {
    var cell = document.querySelector('[data-cell="' + name + '"]');
    var text = number(value);
    if (cell && cell.textContent !== text) {
      cell.textContent = text;
    }
  }

  function setText(name, text) {
    var element = field(name);
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function say() {
    timer = null;
    if (announcer && waiting !== null && waiting !== lastSaid) {
      announcer.textContent = waiting;
      lastSaid = waiting;
      lastSaidAt = Date.now();
    }
    waiting = null;
  }

  function announce(text) {
    waiting = text;
    var wait = lastSaidAt + ANNOUNCE_EVERY_MS - Date.now();
    if (wait <= 0) {
      say();
    } else if (timer === null) {
      timer = window.setTimeout(say, wait);
    }
  }

  function apply(figures) {
    Object.keys(figures.cells).forEach(function (channel) {
      var row = figures.cells[channel];
      Object.keys(row).forEach(function (state) {
        setCell(channel + "." + state, row[state]);
      });
      setCell("channel-total." + channel, figures.channel_totals[channel]);
    });
    Object.keys(figures.state_totals).forEach(function (state) {
      setCell("state-total." + state, figures.state_totals[state]);
    });
    setCell("total", figures.total);
    Object.keys(figures.answers).forEach(function (answer) {
      setCell("answer." + answer, figures.answers[answer]);
    });
    setCell("recipients", figures.recipients);
    setText("state-text", figures.state_text);
    setText("summary", figures.summary);
    var changed = field("state-changed");
    if (changed && figures.state !== initialState) {
      changed.hidden = false;
    }
    announce(figures.summary);
    redraw();
  }

  // The map and chart are drawn by the server: fetched again at most every PICTURES_EVERY_MS
  // while figures change, and never while the keyboard is inside them (nothing moves under it).
  var PICTURES_EVERY_MS = 15000;
  var pictures = document.querySelector("[data-pictures]");
  var picturesAt = Date.now();
  var fetching = false;

  function redraw() {
    if (!pictures || fetching || !window.fetch) { return; }
    if (Date.now() - picturesAt < PICTURES_EVERY_MS) { return; }
    if (pictures.contains(document.activeElement)) { return; }
    fetching = true;
    picturesAt = Date.now();
    fetch(pictures.getAttribute("data-pictures"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && !pictures.contains(document.activeElement)) {
          pictures.innerHTML = html;
        }
      })
      .catch(function () { /* the next change tries again */ })
      .then(function () { fetching = false; });
  }

  var source = new EventSource(section.getAttribute("data-progress-events"));
  source.addEventListener("open", function () {
    setText("connection", said("live"));
  });
  source.addEventListener("progress", function (event) {
    var figures = JSON.parse(event.data);
    apply(figures);
    // the server's time of reading, in Kazakhstan time like every time the console shows
    setText("connection", said("live-as-of").replace("{time}", figures.as_of_local));
  });
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CLOSED) {
      setText("connection", said("stopped"));
    } else {
      setText("connection", said("reconnecting"));
    }
  });
})();
