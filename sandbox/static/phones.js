// The sandbox's pretend phones: the SMS Kömek sent, whether they were delivered, and replies.
import { el, guessLang } from "./render.js";

const POLL_SECONDS = 25;
const STATUS = { sent: "Sent", delivered: "Delivered", received: "Reply" };

const $ = (id) => document.getElementById(id);
const ui = {
  select: $("phone-select"),
  empty: $("phones-empty"),
  heading: $("phone-messages-heading"),
  list: $("phone-messages"),
  form: $("phone-reply-form"),
  text: $("phone-reply-text"),
  error: $("phones-error"),
  announcer: $("announcer"),
};

const state = { seq: 0, phone: null, phones: new Map() };

function showError(message) {
  ui.error.textContent = message || "";
}

function announce(text, lang) {
  ui.announcer.append(el("p", { lang, text }));
  while (ui.announcer.childElementCount > 5) ui.announcer.firstElementChild.remove();
}

function messagesOf(phone) {
  if (!state.phones.has(phone)) {
    state.phones.set(phone, new Map());
    ui.select.append(el("option", { value: phone, text: phone }));
    ui.select.querySelector('option[value=""]')?.remove();
  }
  return state.phones.get(phone);
}

function fill(item, sms) {
  const toPhone = sms.direction === "to_phone";
  const who = toPhone ? `Kömek to ${sms.phone}` : `${sms.phone} to Kömek`;
  item.className = `message ${toPhone ? "from-bot" : "from-user"}`;
  item.dataset.messageId = sms.message_id;
  item.replaceChildren(
    el("p", { className: "meta" },
      el("span", { className: "sender", text: who }), ", ",
      el("span", { "data-testid": "sms-status", text: STATUS[sms.status] || sms.status })),
    el("p", { className: "body", lang: guessLang(sms.text, "kk"), "data-testid": "sms-text", text: sms.text }),
  );
}

function render(phone) {
  ui.list.replaceChildren();
  for (const sms of (state.phones.get(phone) || new Map()).values()) {
    const item = el("li", { "data-testid": "sms" });
    fill(item, sms);
    ui.list.append(item);
  }
}

function select(phone) {
  if (!phone || !state.phones.has(phone)) return;
  state.phone = phone;
  ui.select.value = phone;
  sessionStorage.setItem("sandbox-phone", phone);
  ui.heading.textContent = `SMS of ${phone}`;
  render(phone);
}

function handle(event, live) {
  state.seq = Math.max(state.seq, event.seq);
  if (event.kind === "sms") {
    const sms = event.sms;
    messagesOf(sms.phone).set(sms.message_id, sms);
    ui.empty.hidden = true;
    if (!state.phone) select(sms.phone);
    else if (sms.phone === state.phone) render(state.phone);
    if (live && sms.direction === "to_phone") {
      announce(`SMS to ${sms.phone}: ${sms.text}`, guessLang(sms.text, "kk"));
    }
  } else if (event.kind === "status") {
    const sms = state.phones.get(event.phone)?.get(event.message_id);
    if (!sms) return;
    sms.status = event.status;
    const item = ui.list.querySelector(`li[data-message-id="${event.message_id}"]`);
    if (item && event.phone === state.phone) fill(item, sms);
  }
}

async function poll() {
  let first = true;
  for (;;) {
    try {
      const wait = first ? 0 : POLL_SECONDS;
      const response = await fetch(`/control/sms/events?after=${state.seq}&timeout=${wait}`);
      if (!response.ok) throw new Error(`The sandbox answered ${response.status}.`);
      const { events } = await response.json();
      for (const event of events) handle(event, !first);
      if (first) {
        const remembered = sessionStorage.getItem("sandbox-phone");
        if (remembered && state.phones.has(remembered)) select(remembered);
      }
      first = false;
      if (ui.error.dataset.lost) {
        delete ui.error.dataset.lost;
        showError("");
      }
    } catch (error) {
      ui.error.dataset.lost = "yes";
      showError(`Lost contact with the sandbox's phones (${error.message}). Trying again…`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

ui.select.addEventListener("change", () => select(ui.select.value));

ui.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!state.phone) {
    showError("No phone has an SMS yet. When Kömek sends one, its phone appears here.");
    return;
  }
  const text = ui.text.value.trim();
  if (!text) {
    showError("Type a reply first, for example 1 (I am safe) or 2 (I need help).");
    ui.text.focus();
    return;
  }
  try {
    const response = await fetch(`/control/sms/phones/${encodeURIComponent(state.phone)}/replies`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text }),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || `The sandbox answered ${response.status}.`);
    ui.text.value = "";
    showError("");
    announce(`Reply sent from ${state.phone}.`, "en");
  } catch (error) {
    showError(`Could not send the reply: ${error.message}`);
  }
});

poll();
