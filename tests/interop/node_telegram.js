// A Bot API that is not ours for the interoperability tests: telegram-test-api on 127.0.0.1.
//
// Started by tests/interop/node_peers.py; JSON lines out (events), JSON lines in (commands);
// it ends when stdin closes. It plays one user of the bot: sends texts and button presses,
// and reports what the bot sent that user.
//
// The one shim: the emulator's getMe leaves out `is_bot` and the other fields the Bot API
// always sends (aiogram refuses such a User), so getMe is answered here in full. Everything
// else is the emulator's own; what it lacks (setMyCommands, sendVoice, files) the bot must
// live without (setMyCommands: finding 2 of issue 17) or the tests do not use. Its button
// presses cannot be used: its callback_query updates lack `chat_instance`, which the Bot API
// always sends and aiogram requires; the tests answer menus by their typed number instead,
// which every menu of the bot accepts.
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
