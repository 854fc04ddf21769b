// The sandbox web chat: play simulated users, talk to the bot, hear and read its answers.
import {
  el, fillMessage, fillNote, fillReplyKeyboard, guessLang, messageSummary,
} from "./render.js";

const BOT_NAME = "Kömek";
const POLL_SECONDS = 25;
const ACTIONS = {
  typing: "Kömek is typing…",
  record_voice: "Kömek is recording a voice message…",
  upload_voice: "Kömek is sending a voice message…",
  upload_document: "Kömek is sending a file…",
  find_location: "Kömek is looking for a location…",
};

const $ = (id) => document.getElementById(id);
const ui = {
  userSelect: $("current-user"),
  userLanguage: $("user-language"),
  newUserForm: $("new-user-form"),
  newUserName: $("new-user-name"),
  newUserLanguage: $("new-user-language"),
  chatHeading: $("chat-heading"),
  empty: $("empty-chat"),
  messages: $("messages"),
  botStatus: $("bot-status"),
  replyKeyboard: $("reply-keyboard"),
  composer: $("composer"),
  text: $("composer-text"),
  commands: $("commands"),
  recordButton: $("record-button"),
  cancelRecording: $("cancel-recording"),
  recordStatus: $("record-status"),
  recordTimer: $("record-timer"),
  fileForm: $("file-form"),
  fileInput: $("file-input"),
  fileCaption: $("file-caption"),
  locationForm: $("location-form"),
  error: $("error"),
  announcer: $("announcer"),
};

const state = {
  users: new Map(),
  user: null,
  seq: 0,
  items: new Map(),
  abort: null,
  statusTimer: null,
  recording: null,
  lostContact: false,
};

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body instanceof FormData) options.body = body;
  else if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(`/control/${path}`, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `The sandbox answered ${response.status}.`);
  return data;
}

function showError(message) {
  ui.error.textContent = message || "";
}

function announce(text, lang) {
  const line = el("p", { lang, text });
  ui.announcer.append(line);
  while (ui.announcer.childElementCount > 5) ui.announcer.firstElementChild.remove();
}

function requireUser() {
  if (state.user) return true;
  showError("Create a user first: type a first name under “New user” and press Create user.");
  ui.newUserName.focus();
  return false;
}

// Users

function addUserOption(user) {
  state.users.set(user.user_id, user);
  const label = `${user.first_name} (${user.language_code}), ${user.user_id}`;
  let option = ui.userSelect.querySelector(`option[value="${user.user_id}"]`);
  if (!option) {
    option = el("option", { value: user.user_id });
    ui.userSelect.append(option);
  }
  option.textContent = label;
  ui.userSelect.querySelector('option[value=""]')?.remove();
}

async function loadUsers() {
  const { users } = await api("GET", "users");
  users.forEach(addUserOption);
  const remembered = Number(sessionStorage.getItem("sandbox-user"));
  const chosen = state.users.get(remembered) || users[users.length - 1];
  if (chosen) await selectUser(chosen.user_id);
}

async function selectUser(userId) {
  const user = state.users.get(Number(userId));
  if (!user) return;
  state.abort?.abort();
  state.user = user;
  state.seq = 0;
  state.items.clear();
  sessionStorage.setItem("sandbox-user", String(user.user_id));
  ui.userSelect.value = String(user.user_id);
  ui.userLanguage.disabled = false;
  ui.userLanguage.value = user.language_code;
  ui.chatHeading.textContent = `Chat of ${user.first_name} with ${BOT_NAME}`;
  ui.messages.replaceChildren();
  ui.empty.hidden = false;
  fillReplyKeyboard(ui.replyKeyboard, null, sendText);
  setBotStatus("");
  loadCommands();
  const controller = new AbortController();
  state.abort = controller;
  poll(user, controller.signal);
}

async function loadCommands() {
  if (!state.user) return;
  try {
    const bot = await api("GET", `bot?language_code=${encodeURIComponent(state.user.language_code)}`);
    ui.commands.replaceChildren(el("p", { id: "commands-label", className: "hint", text: "Bot commands" }));
    for (const command of bot.commands || []) {
      const button = el("button", {
        type: "button",
        className: "secondary",
        text: `/${command.command} – ${command.description}`,
      });
      button.addEventListener("click", () => sendText(`/${command.command}`));
      ui.commands.append(button);
    }
    ui.commands.hidden = ui.commands.childElementCount < 2;
  } catch (error) {
    showError(error.message);
  }
}

// Events from the chat

async function poll(user, signal) {
  let first = true;
  while (!signal.aborted) {
    try {
      const wait = first ? 0 : POLL_SECONDS;
      const url = `/control/chats/${user.user_id}/events?after=${state.seq}&timeout=${wait}`;
      const response = await fetch(url, { signal });
      if (!response.ok) throw new Error(`The sandbox answered ${response.status}.`);
      const { events } = await response.json();
      if (signal.aborted) return;
      if (state.lostContact) {
        state.lostContact = false;
        showError("");
      }
      for (const event of events) handleEvent(event, !first);
      first = false;
    } catch (error) {
      if (signal.aborted) return;
      state.lostContact = true;
      showError(`Lost contact with the sandbox (${error.message}). Trying again…`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

function senderName(fromBot) {
  return fromBot ? BOT_NAME : `You (${state.user.first_name})`;
}

function listItem(key) {
  let item = state.items.get(key);
  if (!item) {
    item = el("li", { tabindex: "-1", "data-testid": "message" });
    state.items.set(key, item);
    ui.messages.append(item);
    ui.empty.hidden = true;
  }
  return item;
}

function renderMessage(message, markup, fromBot, flags = {}) {
  const item = listItem(`m${message.message_id}`);
  const hadFocus = item.contains(document.activeElement) && document.activeElement !== item;
  const text = message.text || message.caption || "";
  fillMessage(item, {
    message,
    markup,
    fromBot,
    senderName: senderName(fromBot),
    lang: guessLang(text, state.user.language_code),
    onPress: pressButton,
    ...flags,
  });
  if (hadFocus) (item.querySelector("button:not([disabled])") || item).focus();
  return text;
}

function handleEvent(event, live) {
  state.seq = Math.max(state.seq, event.seq);
  const language = state.user.language_code;
  switch (event.kind) {
    case "user_message":
      renderMessage(event.message, null, false);
      break;
    case "bot_message": {
      setBotStatus("");
      const text = renderMessage(event.message, event.reply_markup, true);
      const markup = event.reply_markup;
      if (markup && (markup.keyboard || markup.remove_keyboard)) {
        fillReplyKeyboard(ui.replyKeyboard, markup.keyboard ? markup : null, sendText);
      }
      if (live) {
        announce(`${BOT_NAME}: ${messageSummary(event.message)}`, guessLang(text, language));
        if (document.activeElement === ui.text) ui.composer.scrollIntoView({ block: "nearest" });
      }
      break;
    }
    case "bot_edit": {
      const text = renderMessage(event.message, event.reply_markup, true, { edited: true });
      if (live) announce(`${BOT_NAME} edited a message: ${messageSummary(event.message)}`, guessLang(text, language));
      break;
    }
    case "bot_delete": {
      const item = state.items.get(`m${event.message_id}`);
      if (item) item.replaceChildren(el("p", { className: "body deleted", text: "This message was deleted." }));
      break;
    }
    case "button_press":
      fillNote(listItem(`e${event.seq}`), senderName(false), `pressed the button “${event.text}”`, false);
      break;
    case "callback_answer":
      if (event.text) {
        const kind = event.show_alert ? "pop-up alert" : "pop-up notice";
        fillNote(listItem(`e${event.seq}`), BOT_NAME, `${event.text} (shown in Telegram as a ${kind})`, true);
        if (live) announce(`${BOT_NAME}: ${event.text}`, guessLang(event.text, language));
      }
      break;
    case "chat_action":
      if (live) setBotStatus(ACTIONS[event.action] || "Kömek is working…");
      break;
    default:
      break;
  }
  keepOnlyOpenButtonsInTabOrder();
}

/**
 * Only the buttons of the newest bot message, and only until the user answers it (a press or
 * a message), take a Tab stop; older ones stay clickable but leave the Tab order, so the
 * keyboard does not walk through every menu of the conversation.
 */
function keepOnlyOpenButtonsInTabOrder() {
  let open = null;
  for (const item of ui.messages.children) {
    if (item.dataset.sender === "user") open = null;
    else {
      const keyboard = item.querySelector(".inline-keyboard");
      if (keyboard) open = keyboard;
    }
  }
  for (const keyboard of ui.messages.querySelectorAll(".inline-keyboard")) {
    const answered = keyboard !== open;
    keyboard.classList.toggle("answered", answered);
    for (const control of keyboard.querySelectorAll("button, a")) {
      if (answered) control.setAttribute("tabindex", "-1");
      else control.removeAttribute("tabindex");
    }
  }
}

function setBotStatus(text) {
  clearTimeout(state.statusTimer);
  ui.botStatus.textContent = text;
  if (text) state.statusTimer = setTimeout(() => { ui.botStatus.textContent = ""; }, 6000);
}

// Acting as the user

async function sendText(text) {
  if (!requireUser()) return false;
  if (!text.trim()) {
    showError("Type a message first.");
    ui.text.focus();
    return false;
  }
  try {
    await api("POST", `users/${state.user.user_id}/messages`, { text });
    showError("");
    return true;
  } catch (error) {
    showError(`Could not send: ${error.message}`);
    return false;
  }
}

async function pressButton(button, node) {
  if (!requireUser()) return;
  const messageId = Number(node.closest("li").dataset.messageId);
  try {
    await api("POST", `users/${state.user.user_id}/press`, {
      message_id: messageId, callback_data: button.callback_data,
    });
    showError("");
  } catch (error) {
    showError(`Could not press “${button.text}”: ${error.message}`);
  }
}

async function sendFile(kind, blob, name, mime, duration, caption) {
  const form = new FormData();
  form.append("file", blob, name);
  if (mime) form.append("mime_type", mime);
  if (duration) form.append("duration", String(Math.max(1, Math.round(duration))));
  if (caption) form.append("caption", caption);
  await api("POST", `users/${state.user.user_id}/${kind}`, form);
}

function audioDuration(file) {
  return new Promise((resolve) => {
    if (!file.type.startsWith("audio/")) { resolve(0); return; }
    const url = URL.createObjectURL(file);
    const audio = new Audio();
    const done = (value) => { URL.revokeObjectURL(url); resolve(value); };
    audio.addEventListener("loadedmetadata", () => done(Number.isFinite(audio.duration) ? audio.duration : 0));
    audio.addEventListener("error", () => done(0));
    setTimeout(() => done(0), 2000);
    audio.preload = "metadata";
    audio.src = url;
  });
}

// Voice recording

function recorderMime() {
  const choices = ["audio/ogg;codecs=opus", "audio/webm;codecs=opus", "audio/webm"];
  return choices.find((type) => window.MediaRecorder?.isTypeSupported?.(type)) || "";
}

async function startRecording() {
  if (!requireUser()) return;
  if (!navigator.mediaDevices?.getUserMedia || !window.MediaRecorder) {
    showError("This browser cannot record audio. Send an audio file instead.");
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    showError(`The microphone is not available (${error.message}). Send an audio file instead.`);
    return;
  }
  const mime = recorderMime();
  const recorder = new MediaRecorder(stream, mime ? { mimeType: mime } : {});
  const recording = { recorder, stream, chunks: [], started: Date.now(), cancelled: false, timer: null };
  recorder.addEventListener("dataavailable", (event) => { if (event.data.size) recording.chunks.push(event.data); });
  recorder.addEventListener("stop", () => finishRecording(recording));
  recorder.start();
  state.recording = recording;
  recording.timer = setInterval(() => {
    ui.recordTimer.textContent = `${Math.round((Date.now() - recording.started) / 1000)} s recorded`;
  }, 500);
  ui.recordButton.textContent = "Stop and send voice message";
  ui.recordButton.setAttribute("aria-pressed", "true");
  ui.cancelRecording.hidden = false;
  ui.recordStatus.textContent = "Recording. Press Stop and send when you are done.";
  showError("");
}

function stopRecording(cancelled) {
  const recording = state.recording;
  if (!recording) return;
  recording.cancelled = cancelled;
  recording.recorder.stop();
}

async function finishRecording(recording) {
  clearInterval(recording.timer);
  recording.stream.getTracks().forEach((track) => track.stop());
  state.recording = null;
  ui.recordButton.textContent = "Record voice message";
  ui.recordButton.setAttribute("aria-pressed", "false");
  ui.cancelRecording.hidden = true;
  ui.recordTimer.textContent = "";
  ui.recordButton.focus();
  if (recording.cancelled) {
    ui.recordStatus.textContent = "Recording cancelled.";
    return;
  }
  const mime = recording.recorder.mimeType || "audio/webm";
  const blob = new Blob(recording.chunks, { type: mime });
  const seconds = (Date.now() - recording.started) / 1000;
  try {
    await sendFile("voice", blob, mime.includes("ogg") ? "voice.ogg" : "voice.webm", mime, seconds);
    ui.recordStatus.textContent = "Voice message sent.";
  } catch (error) {
    ui.recordStatus.textContent = "";
    showError(`Could not send the voice message: ${error.message}`);
  }
}

// Wiring

ui.newUserForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const firstName = ui.newUserName.value.trim();
  if (!firstName) {
    showError("Type a first name for the new user.");
    ui.newUserName.focus();
    return;
  }
  try {
    const user = await api("POST", "users", { first_name: firstName, language_code: ui.newUserLanguage.value });
    addUserOption(user);
    ui.newUserName.value = "";
    showError("");
    await selectUser(user.user_id);
    ui.text.focus();
  } catch (error) {
    showError(`Could not create the user: ${error.message}`);
  }
});

ui.userSelect.addEventListener("change", () => selectUser(ui.userSelect.value));

ui.userLanguage.addEventListener("change", async () => {
  if (!state.user) return;
  try {
    const user = await api("PATCH", `users/${state.user.user_id}`, { language_code: ui.userLanguage.value });
    state.user.language_code = user.language_code;
    addUserOption(user);
    loadCommands();
  } catch (error) {
    showError(`Could not change the language: ${error.message}`);
  }
});

ui.composer.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (await sendText(ui.text.value)) ui.text.value = "";
});

ui.text.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.composer.requestSubmit();
  }
});

ui.recordButton.addEventListener("click", () => {
  if (state.recording) stopRecording(false);
  else startRecording();
});
ui.cancelRecording.addEventListener("click", () => stopRecording(true));

ui.fileForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!requireUser()) return;
  const file = ui.fileInput.files[0];
  if (!file) {
    showError("Choose a file first.");
    ui.fileInput.focus();
    return;
  }
  const kind = new FormData(ui.fileForm).get("kind") || "voice";
  try {
    await sendFile(kind, file, file.name, file.type, await audioDuration(file), ui.fileCaption.value.trim());
    ui.fileForm.reset();
    showError("");
  } catch (error) {
    showError(`Could not send the file: ${error.message}`);
  }
});

ui.locationForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!requireUser()) return;
  const latitude = Number($("latitude").value.replace(",", "."));
  const longitude = Number($("longitude").value.replace(",", "."));
  try {
    await api("POST", `users/${state.user.user_id}/location`, { latitude, longitude });
    showError("");
  } catch (error) {
    showError(`Could not share the location: ${error.message}`);
  }
});

loadUsers().catch((error) => showError(`Could not load users: ${error.message}`));
