// test_race: two clients racing the same state-machine action on the same
// record, at the same moment, on separate connections: exactly one wins
// (2xx) and the other is told 409 (the state moved under it), never a 5xx,
// never two winners, and the event trail records the transition once.
// Each race runs on a fresh copy of a demo database with the racers
// already logged in.
// Not for: who may act (test_authz) or what the action returns.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { startServer } from './lib.mjs';

let tpl;
let clients;

before(async () => {
  tpl = await startServer({ demo: true, threads: 4 });
  clients = await tpl.loginAll(['wang.lei', 'liu.yang', 'zheng.guoping', 'feng.jianhua']);
  await tpl.stop({ keep: true });
});

after(() => {
  if (tpl) fs.rmSync(tpl.dir, { recursive: true, force: true });
});

// Fires both requests at once and returns the two answers.
async function race(srv, a, b, method, p, body) {
  const [x, y] = await Promise.all([
    a.at(srv.url).request(method, p, { json: body }),
    b.at(srv.url).request(method, p, { json: body }),
  ]);
  return [x, y];
}

function oneWinner(answers, what) {
  const statuses = answers.map((r) => r.status).sort();
  const wins = answers.filter((r) => r.status >= 200 && r.status < 300);
  const lost = answers.filter((r) => r.status === 409);
  assert.equal(wins.length, 1, `${what}: exactly one 2xx, got ${statuses} ${answers.map((r) => r.text.slice(0, 120)).join(' | ')}`);
  assert.equal(lost.length, 1, `${what}: the other 409, got ${statuses}`);
  assert.equal(lost[0].json?.error?.code, 'state_conflict', `${what}: ${lost[0].text}`);
}

test('two market users accept the same submitted application: one wins, the other 409', async () => {
  for (let round = 0; round < 5; round++) {
    const srv = await startServer({ from: tpl.db, threads: 4 });
    try {
      const app = srv.sql("SELECT id FROM applications WHERE state = 'submitted' LIMIT 1")[0].id;
      const answers = await race(srv, clients['wang.lei'], clients['liu.yang'], 'POST', `/api/v1/applications/${app}/accept`, {});
      oneWinner(answers, `round ${round}`);
      assert.equal(srv.sql(`SELECT state FROM applications WHERE id = ${app}`)[0].state, 'accepted');
      const events = srv.sql(`SELECT count(*) AS n FROM events WHERE entity = 'application' AND entity_id = ${app} AND action = 'application.accept'`);
      assert.equal(events[0].n, 1, 'the transition is recorded once');
    } finally {
      await srv.stop();
    }
  }
});

test('the same user on two connections accepts twice: one wins, the other 409', async () => {
  const srv = await startServer({ from: tpl.db, threads: 4 });
  try {
    const app = srv.sql("SELECT id FROM applications WHERE state = 'submitted' LIMIT 1")[0].id;
    const answers = await race(srv, clients['wang.lei'], clients['wang.lei'], 'POST', `/api/v1/applications/${app}/accept`, {});
    oneWinner(answers, 'same user');
  } finally {
    await srv.stop();
  }
});

test('two committee members suspend the same certificate: one wins, the other 409 (every active certificate)', async () => {
  const srv = await startServer({ from: tpl.db, threads: 4 });
  try {
    const numbers = srv.sql("SELECT number FROM certificates WHERE state = 'active' ORDER BY id").map((r) => r.number);
    assert.ok(numbers.length >= 3);
    const changes = (n) => srv.sql(`SELECT count(*) AS n FROM certificate_status_changes c JOIN certificates x ON x.id = c.certificate_id WHERE x.number = '${n}' AND c.to_state = 'suspended'`)[0].n;
    for (const n of numbers) {
      const before0 = changes(n);
      const answers = await race(srv, clients['zheng.guoping'], clients['feng.jianhua'], 'POST',
        `/api/v1/certificates/${n}/suspend`, { reason_code: 'serious_nonconformity', reason: '投诉较多' });
      oneWinner(answers, n);
      assert.equal(srv.sql(`SELECT state FROM certificates WHERE number = '${n}'`)[0].state, 'suspended');
      assert.equal(changes(n), before0 + 1, `${n}: one status change recorded`);
    }
    // and the event chain still verifies
    const v = srv.cli(['audit-verify']);
    assert.equal(v.code, 0, v.stdout);
  } finally {
    await srv.stop();
  }
});
