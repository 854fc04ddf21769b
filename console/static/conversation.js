// A help request's conversation: the person's new messages arrive by Server-Sent Events and
// are added to the list, and announced in a polite live region. The page never reloads by
// itself (the dispatcher may be writing).
(function () {
  "use strict";
  var box = document.querySelector(".conversation-live");
  var list = document.getElementById("thread");
  if (!box || !list || !window.EventSource) { return; }
  var news = document.getElementById("thread-news");
  var state = document.getElementById("talk-state");
  var lang = box.getAttribute("data-lang") || "";
  var seen = {};
  Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (item) {
    seen[item.getAttribute("data-id")] = true;
  });

  function time(iso) {
    var at = new Date(iso);
    var text = at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Almaty" });
    var element = document.createElement("time");
    element.setAttribute("datetime", iso);
    element.textContent = text;
    return element;
  }

  function add(message) {
    if (seen[String(message.id)]) { return; }
    seen[String(message.id)] = true;
    var empty = document.getElementById("thread-empty");
    if (empty) { empty.parentNode.removeChild(empty); }
    var item = document.createElement("li");
    item.className = "from-" + message.sender;
    item.setAttribute("data-id", String(message.id));
    var how = document.createElement("span");
    how.className = "said-how";
    how.appendChild(time(message.at));
    how.appendChild(document.createTextNode(" " + message.said + ":"));
    item.appendChild(how);
    var words = document.createElement("q");
    if (message.sender === "person" && lang) { words.setAttribute("lang", lang); }
    words.textContent = message.text || box.getAttribute("data-nothing");
    item.appendChild(words);
    list.appendChild(item);
    if (message.sender === "person") {
      news.textContent = box.getAttribute("data-new") + " " + (message.text || message.said);
    }
  }

  var source = new EventSource(box.getAttribute("data-source"));
  source.addEventListener("message", function (event) { add(JSON.parse(event.data)); });
  source.addEventListener("state", function (event) {
    var data = JSON.parse(event.data);
    if (state) { state.textContent = data.status; }
    news.textContent = data.talking ? box.getAttribute("data-on") : box.getAttribute("data-ended") + " " + data.status;
  });
})();
