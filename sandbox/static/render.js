// Rendering of chat messages: text with Telegram entities, media, locations and buttons.

const KAZAKH_LETTERS = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/;
const CYRILLIC = /[а-яёА-ЯЁ]/g;
const LATIN = /[a-zA-Z]/g;
const WORD = /[\p{L}]+/gu;
// Frequent words of each language without Kazakh letters: Kazakh written without them
// ("Жарайды, жазбадым.") and Russian, told apart by the message's own words.
const KAZAKH_WORDS = new Set([
  "мен", "сен", "бар", "тек", "бас", "мына", "немесе", "туралы", "жарайды", "дайын", "орны",
  "басынан", "бастау", "дауыс", "емделу", "расталды", "расталмады", "орындалды", "жазылу",
  "жазылудан", "жазылдым", "жазбадым", "болдырылмады", "деректер", "аманмын", "ескертулерге",
  "ескертулерден", "тарту", "тарттым", "тартасыз", "таппадым", "сот", "жок", "иа", "бер",
]);
const RUSSIAN_WORDS = new Set([
  "и", "в", "во", "не", "на", "что", "вы", "вас", "вам", "для", "по", "это", "как", "если",
  "или", "с", "со", "у", "я", "мы", "к", "о", "об", "от", "до", "за", "из", "но", "да", "нет",
  "уже", "только", "мне", "меня", "все", "всё", "ваш", "ваша", "ваши", "можно", "нужно",
  "есть", "когда", "где", "чтобы", "подробнее", "источник", "готово", "отмена", "запись",
]);

/**
 * The language of one message's text, for its lang attribute: its own letters and words
 * decide, so Russian sent to a person whose profile is Kazakh is read with a Russian voice.
 * `fallback` (the person's Telegram language) only for text with no letters to go by, or a
 * word or two that could be Kazakh or Russian ("Санаторий").
 */
export function guessLang(text, fallback) {
  const cyrillic = (text.match(CYRILLIC) || []).length;
  const latin = (text.match(LATIN) || []).length;
  if (!cyrillic && !latin && !KAZAKH_LETTERS.test(text)) return fallback || "en";
  if (latin > cyrillic) return "en";
  if (KAZAKH_LETTERS.test(text)) return "kk";
  let kazakh = 0;
  let russian = 0;
  for (const word of (text.toLowerCase().match(WORD) || [])) {
    if (KAZAKH_WORDS.has(word)) kazakh += 1;
    if (RUSSIAN_WORDS.has(word)) russian += 1;
  }
  if (kazakh !== russian) return kazakh > russian ? "kk" : "ru";
  return fallback === "kk" && text.trim().split(/\s+/).length <= 2 ? "kk" : "ru";
}

/** Create an element with attributes and children (strings become text nodes). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return ["http:", "https:", "tg:", "mailto:", "tel:"].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

function entityElement(entity) {
  switch (entity.type) {
    case "bold": return el("strong");
    case "italic": return el("em");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "code": return el("code");
    case "pre": return el("pre", { className: "pre" });
    case "blockquote":
    case "expandable_blockquote": return el("blockquote");
    case "text_link": {
      const href = safeUrl(entity.url);
      return href ? el("a", { href, target: "_blank", rel: "noopener noreferrer" }) : el("span");
    }
    case "spoiler": return el("span", { className: "spoiler" });
    default: return el("span");
  }
}

/** Return a fragment of text with Telegram entities (offsets in UTF-16 units, like JS strings). */
export function formattedText(text, entities) {
  const fragment = document.createDocumentFragment();
  const sorted = [...(entities || [])]
    .filter((e) => e.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const build = (parent, start, end, list) => {
    let position = start;
    let index = 0;
    while (index < list.length) {
      const entity = list[index];
      const entityEnd = entity.offset + entity.length;
      if (entity.offset < position) { index += 1; continue; }
      parent.append(text.slice(position, entity.offset));
      const inner = [];
      let next = index + 1;
      while (next < list.length && list[next].offset < entityEnd) {
        if (list[next].offset + list[next].length <= entityEnd) inner.push(list[next]);
        next += 1;
      }
      const node = entityElement(entity);
      build(node, entity.offset, Math.min(entityEnd, end), inner);
      parent.append(node);
      position = entityEnd;
      index = next;
    }
    parent.append(text.slice(position, end));
  };
  build(fragment, 0, text.length, sorted);
  return fragment;
}

/** Return the readable text of a message (text or caption), or a description of its content. */
export function messageSummary(message) {
  const text = message.text || message.caption || "";
  if (message.voice) return text ? `Voice message: ${text}` : "Voice message without text";
  if (message.audio) return text ? `Audio: ${text}` : "Audio without text";
  if (message.document) {
    const name = message.document.file_name || "a file";
    return text ? `Document ${name}: ${text}` : `Document ${name}`;
  }
  if (message.location) {
    return `Location ${message.location.latitude}, ${message.location.longitude}`;
  }
  return text;
}

function formatSize(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

function seconds(count) {
  return count === 1 ? "1 second" : `${count || 0} seconds`;
}

function mediaBlock(message, senderName) {
  const file = message.voice || message.audio;
  if (file) {
    const label = `${message.voice ? "Voice message" : "Audio"} from ${senderName}, ${seconds(file.duration)}`;
    const player = el("audio", {
      controls: true,
      preload: "none",
      src: `/control/files/${encodeURIComponent(file.file_id)}`,
      "aria-label": label,
      "data-testid": "audio-player",
    });
    const details = el("p", { className: "media-details", text: `${label}.` });
    return el("div", { className: "media" }, player, details);
  }
  if (message.document) {
    const doc = message.document;
    const name = doc.file_name || "file";
    const link = el("a", {
      href: `/control/files/${encodeURIComponent(doc.file_id)}`,
      download: name,
      text: `Download ${name} (${formatSize(doc.file_size || 0)})`,
    });
    return el("div", { className: "media" }, link);
  }
  if (message.location) {
    const { latitude, longitude } = message.location;
    return el("p", { className: "media", text: `Shared location: latitude ${latitude}, longitude ${longitude}` });
  }
  return null;
}

function inlineKeyboard(markup, onPress) {
  const rows = markup && markup.inline_keyboard;
  if (!rows || !rows.length) return null;
  const group = el("div", {
    className: "inline-keyboard",
    role: "group",
    "aria-label": "Buttons for this message",
  });
  for (const row of rows) {
    const line = el("div", { className: "button-row" });
    for (const button of row) {
      if (button.url && safeUrl(button.url)) {
        line.append(el("a", {
          className: "button-link",
          href: safeUrl(button.url),
          target: "_blank",
          rel: "noopener noreferrer",
        }, button.text, el("span", { className: "visually-hidden", text: " (opens a link)" })));
      } else {
        const node = el("button", { type: "button", className: "secondary", text: button.text });
        if (button.callback_data) node.addEventListener("click", () => onPress(button, node));
        else node.disabled = true;
        line.append(node);
      }
    }
    group.append(line);
  }
  return group;
}

/**
 * Fill a message list item. `view` has: message, markup, fromBot, senderName, lang, edited,
 * deleted, onPress(button, node).
 */
export function fillMessage(item, view) {
  const { message } = view;
  item.replaceChildren();
  item.className = `message ${view.fromBot ? "from-bot" : "from-user"}`;
  item.dataset.sender = view.fromBot ? "bot" : "user";
  item.dataset.messageId = message.message_id;
  const when = new Date((message.edit_date || message.date) * 1000);
  const time = el("time", {
    datetime: when.toISOString(),
    text: when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
  });
  const meta = el("p", { className: "meta" },
    el("span", { className: "sender", text: view.senderName }),
    el("span", { className: "visually-hidden", text: " at " }), " ", time,
    view.edited ? el("span", { className: "tag", text: " edited" }) : null);
  item.append(meta);
  if (view.deleted) {
    item.append(el("p", { className: "body deleted", text: "This message was deleted." }));
    return;
  }
  if (message.reply_to_message) {
    const quoted = messageSummary(message.reply_to_message);
    item.append(el("p", { className: "reply-to", text: `In reply to: ${quoted}` }));
  }
  const media = mediaBlock(message, view.senderName);
  if (media) item.append(media);
  const text = message.text || message.caption || "";
  if (text) {
    const body = el("p", { className: "body", lang: view.lang, "data-testid": "message-text" });
    body.append(formattedText(text, message.entities || message.caption_entities));
    item.append(body);
  } else if (message.voice && view.fromBot) {
    item.append(el("p", {
      className: "body warning",
      text: "Warning: this voice message came without text, so deaf users cannot read it.",
    }));
  }
  const keyboard = inlineKeyboard(view.markup, view.onPress);
  if (keyboard) item.append(keyboard);
}

/** Fill a list item with a short note (a button press or an answer to it). */
export function fillNote(item, senderName, text, fromBot) {
  item.className = `note ${fromBot ? "from-bot" : "from-user"}`;
  item.dataset.sender = fromBot ? "bot" : "user";
  item.replaceChildren(el("span", { className: "sender", text: `${senderName}: ` }), text);
}

/** Render the reply keyboard into its container; return whether it is shown. */
export function fillReplyKeyboard(container, markup, onPress) {
  container.replaceChildren();
  const rows = markup && markup.keyboard;
  if (!rows || !rows.length) {
    container.hidden = true;
    return false;
  }
  if (markup.input_field_placeholder) {
    container.append(el("p", { className: "hint", text: markup.input_field_placeholder }));
  }
  for (const row of rows) {
    const line = el("div", { className: "button-row" });
    for (const button of row) {
      const node = el("button", { type: "button", className: "secondary", text: button.text });
      node.addEventListener("click", () => onPress(button.text));
      line.append(node);
    }
    container.append(line);
  }
  container.hidden = false;
  return true;
}
