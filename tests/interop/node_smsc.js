// An SMS centre for the interoperability tests: node-smpp's server (not ours) on 127.0.0.1.
//
// Started by tests/interop/node_peers.py. Talks JSON lines: events on stdout, commands on
// stdin. It ends when stdin closes, so it never outlives the test that started it.
//
// It answers as node-smpp does: an error answer has no body (SMPP 3.4 allows it). It checks
// the bind's system_id and password (ESME_RINVPASWD otherwise), throttles on request, sends a
// delivery receipt per accepted part (on the same bind, or on another bound session, as an
// SMSC cluster does), texts from phones, and can drop every connection at once.
'use strict';

const smpp = require('smpp');
const readline = require('readline');

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')),
);
const systemId = args['system-id'] || 'komek';
const password = args.password || 'secret';

const state = {
  throttle: 0, // submit_sm to answer with ESME_RTHROTTLED
  refuseBind: null, // a status name: every bind is refused with it
  receipts: 'same', // same: on the bind that sent; other: on another bound session; none
  receiptDelay: 5, // milliseconds between the answer and the receipt
  failFrom: 0, // parts with this index or later (1-based) are reported UNDELIV; 0: none
  heldReceipts: [],
  nextId: 1,
  sessions: new Set(),
};

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function bound() {
  return [...state.sessions].filter((session) => session.komekBound);
}

function udhOf(message) {
  // node-smpp decodes the concatenation header into [[iei, length, ...data]].
  for (const element of message.udh || []) {
    const bytes = [...element];
    if (bytes[0] === 0x00) return { reference: bytes[2], total: bytes[3], index: bytes[4] };
    if (bytes[0] === 0x08) {
      return { reference: (bytes[2] << 8) | bytes[3], total: bytes[4], index: bytes[5] };
    }
  }
  return null;
}

function receipt(messageId, destination, stat) {
  const err = stat === 'DELIVRD' ? '000' : '001';
  return {
    source_addr: destination,
    source_addr_ton: 1,
    source_addr_npi: 1,
    destination_addr: 'Komek',
    esm_class: 0x04,
    short_message:
      `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} ` +
      `submit date:2601010000 done date:2601010000 stat:${stat} err:${err} text:`,
  };
}

function sendReceipt(origin, item) {
  // A bind that is gone gets nothing: its receipts go to a bind of the account that is up.
  let targets = origin.komekBound ? [origin] : bound().slice(0, 1);
  if (state.receipts === 'other') {
    const others = bound().filter((session) => session !== origin);
    targets = others.length ? [others[item.number % others.length]] : [origin];
  }
  for (const session of targets) {
    session.deliver_sm(receipt(item.messageId, item.destination, item.stat));
  }
}

const server = smpp.createServer({ debug: false }, (session) => {
  state.sessions.add(session);
  session.komekBound = false;
  session.on('error', () => {});
  session.on('close', () => {
    state.sessions.delete(session);
    emit({ event: 'closed' });
  });
  session.on('bind_transceiver', (pdu) => {
    let status = 0;
    if (state.refuseBind) status = smpp[state.refuseBind];
    else if (pdu.system_id !== systemId || pdu.password !== password) status = smpp.ESME_RINVPASWD;
    if (status) {
      session.send(pdu.response({ command_status: status }));
      emit({ event: 'bind_refused', status });
      return;
    }
    session.komekBound = true;
    session.send(pdu.response({ system_id: 'node-smpp' }));
    emit({ event: 'bound', sessions: bound().length });
  });
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => {
    session.komekBound = false;
    session.send(pdu.response());
    session.close();
  });
  session.on('deliver_sm_resp', () => {});
  session.on('submit_sm', (pdu) => {
    if (state.throttle > 0) {
      state.throttle -= 1;
      session.send(pdu.response({ command_status: smpp.ESME_RTHROTTLED }));
      emit({ event: 'throttled', destination: pdu.destination_addr });
      return;
    }
    const number = state.nextId++;
    const messageId = `n${number.toString(16)}`;
    const message = pdu.short_message || {};
    const text = typeof message.message === 'string' ? message.message : '';
    const part = udhOf(message);
    emit({
      event: 'submit',
      number,
      message_id: messageId,
      destination: pdu.destination_addr,
      data_coding: pdu.data_coding,
      esm_class: pdu.esm_class,
      registered_delivery: pdu.registered_delivery,
      validity_period: pdu.validity_period || '',
      text,
      reference: part ? part.reference : null,
      total: part ? part.total : 1,
      index: part ? part.index : 1,
      session: [...state.sessions].indexOf(session),
    });
    session.send(pdu.response({ message_id: messageId }));
    if (pdu.registered_delivery & 0x01 && state.receipts !== 'none') {
      const index = part ? part.index : 1;
      const failed = state.failFrom > 0 && index >= state.failFrom;
      const stat = failed ? 'UNDELIV' : 'DELIVRD';
      const item = { number, messageId, destination: pdu.destination_addr, stat };
      if (state.receipts === 'hold') state.heldReceipts.push({ session, item });
      else setTimeout(() => sendReceipt(session, item), state.receiptDelay);
    }
  });
});

const commands = {
  throttle: (command) => {
    state.throttle = command.count;
  },
  refuse_bind: (command) => {
    state.refuseBind = command.status || null;
  },
  receipts: (command) => {
    state.receipts = command.mode || state.receipts;
    if ('fail_from' in command) state.failFrom = command.fail_from;
    if ('delay_ms' in command) state.receiptDelay = command.delay_ms;
  },
  fail_last: (command) => {
    // The held receipt of the last part sent to this phone turns into a failure.
    const mine = state.heldReceipts.filter(({ item }) => item.destination === command.destination);
    if (mine.length) mine[mine.length - 1].item.stat = 'UNDELIV';
  },
  release_receipts: () => {
    const held = state.heldReceipts;
    state.heldReceipts = [];
    for (const { session, item } of held) sendReceipt(session, item);
  },
  mo: (command) => {
    const session = bound()[0];
    if (!session) return emit({ event: 'error', reason: 'no bound session for an MO text' });
    session.deliver_sm({
      source_addr: command.from,
      source_addr_ton: 1,
      source_addr_npi: 1,
      destination_addr: 'Komek',
      short_message: command.text,
    });
  },
  drop: () => {
    for (const session of state.sessions) session.socket.destroy();
  },
};

server.listen(Number(args.port || 0), '127.0.0.1', () => {
  emit({ event: 'listening', port: server.address().port });
});

const input = readline.createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (!line.trim()) return;
  const command = JSON.parse(line);
  commands[command.cmd](command);
  emit({ event: 'done', cmd: command.cmd });
});
input.on('close', () => {
  for (const session of state.sessions) session.socket.destroy();
  server.close();
  process.exit(0);
});
