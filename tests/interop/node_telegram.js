// A Bot API that is not ours for the interoperability tests: telegram-test-api on 127.0.0.1.
//
// Started by tests/interop/node_peers.py; JSON lines out (events), JSON lines in (commands);
// it ends when stdin closes. It plays one user of the bot: sends texts and button presses,
// and reports what the bot sent that user.
//
// Two shims, each for something the Bot API always sends and the emulator leaves out:
// - getMe: the emulator's answer lacks `is_bot` and the other fields of a User (aiogram refuses
//   such a User), so getMe is answered here in full;
// - button presses: the emulator's callback_query updates lack `chat_instance` (aiogram
//   requires it), and the message they carry is the user's, with no message_id or date. Here
//   the update gets a `chat_instance` and the bot's message that bore the button, as Telegram
//   sends them; the press itself still goes in through the emulator's own sendCallback.
// Everything else is the emulator's own; what it lacks (setMyCommands, sendVoice, files) the
// bot must live without (setMyCommands: finding 2 of issue 17) or the tests do not use.
'use strict';

const readline = require('readline');
const routes = require('telegram-test-api/lib/routes/index').routes;
const { getMe } = require('telegram-test-api/lib/routes/bot/getMe');
const { handle } = require('telegram-test-api/lib/routes/bot/utils');

routes[routes.indexOf(getMe)] = (app) => {
  handle(app, '/bot:token/getMe', (req, res) => {
    const id = Number(String(req.params.token).split(':')[0]);
    res.sendResult({
      ok: true,
      result: {
        id,
        is_bot: true,
        first_name: 'Komek',
        username: 'komek_test_bot',
        can_join_groups: false,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      },
    });
  });
};
const TelegramServer = require('telegram-test-api');

const formatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = (update) => {
  const formatted = formatUpdate(update);
  if (formatted.callback_query) {
    const chat = formatted.callback_query.message.chat;
    formatted.callback_query.chat_instance = `instance-${chat.id}`;
  }
  return formatted;
};

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')),
);
const token = args.token;
const server = new TelegramServer({ port: Number(args.port), host: '127.0.0.1', storeTimeout: 60 });
let client = null;

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

const commands = {
  send: async (command) => {
    await client.sendMessage(client.makeMessage(command.text));
  },
  command: async (command) => {
    await client.sendCommand(client.makeCommand(command.text));
  },
  press: async (command) => {
    // The bot's message that bore the button, as the Bot API puts it in a callback_query.
    const stored = server.storage.botMessages.find(
      (update) => String(update.messageId) === String(command.message_id),
    );
    if (!stored) throw new Error(`no bot message ${command.message_id}`);
    const botId = Number(String(token).split(':')[0]);
    const message = {
      message_id: stored.messageId,
      date: Math.floor(stored.time / 1000),
      chat: { id: Number(stored.message.chat_id), type: 'private', first_name: 'Ainur' },
      from: { id: botId, is_bot: true, first_name: 'Komek' },
      text: stored.message.text,
      reply_markup: stored.message.reply_markup,
    };
    const query = client.makeCallbackQuery(command.data);
    query.message = message;
    await client.sendCallback(query);
  },
  history: async () => {
    const updates = await client.getUpdatesHistory();
    emit({ event: 'history', updates });
  },
};

server.start().then(() => {
  client = server.getClient(token, { userId: 7001, chatId: 7001, firstName: 'Ainur', userName: 'ainur' });
  emit({ event: 'listening', port: Number(args.port), url: server.config.apiURL });
});

const input = readline.createInterface({ input: process.stdin });
input.on('line', async (line) => {
  if (!line.trim()) return;
  const command = JSON.parse(line);
  try {
    await commands[command.cmd](command);
  } catch (error) {
    emit({ event: 'error', cmd: command.cmd, reason: String(error) });
  }
  emit({ event: 'done', cmd: command.cmd });
});
input.on('close', async () => {
  await server.stop();
  process.exit(0);
});
