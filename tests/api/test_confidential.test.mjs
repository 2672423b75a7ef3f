// test_confidential: POST /api/v1/certificates/{number}/confidential.
// Market sets a certificate's confidential flag at the holder's written
// request and the committee clears it; the public registry follows on the
// very next request: GET /api/v1/registry?q= by name or 统一社会信用代码
// stops listing the certificate, then lists it again, while the look-up
// GET /api/v1/registry/{number} (answered from the registry cache) finds
// it all along, equal to `starcert registry get`. Refusals (blank or
// missing reason, unknown fields, a wrong type, an unknown number, the
// holder itself) change nothing; the value it already has writes nothing;
// the event chain verifies.
// Not for: every role against the route (test_authz).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { errorOf, startServer } from './lib.mjs';

const BOOKKEEPING = ['sessions', 'login_attempts', 'api_tokens'];
const MARKET = 'wang.lei';
const COMMITTEE = 'zheng.guoping';

describe('certificate confidentiality', () => {
  let srv;
  let market;
  let committee;
  let holder;
  let cert; // {number, org, name, uscc}
  let path;

  before(async () => {
    srv = await startServer({ demo: true, threads: 4 });
    cert = srv.sql("SELECT c.number, c.organisation_id AS org, o.name, o.uscc FROM certificates c JOIN organisations o ON o.id = c.organisation_id WHERE c.state = 'active' AND c.confidential = 0 ORDER BY c.id LIMIT 1")[0];
    const ent = srv.sql(`SELECT login FROM users WHERE role = 'enterprise' AND organisation_id = ${cert.org} LIMIT 1`)[0].login;
    const clients = await srv.loginAll([MARKET, COMMITTEE, ent]);
    market = clients[MARKET];
    committee = clients[COMMITTEE];
    holder = clients[ent];
    path = `/api/v1/certificates/${cert.number}/confidential`;
  });
  after(async () => {
    await srv?.stop();
  });

  // How many times each public look-up finds the certificate now.
  async function registry() {
    const anon = srv.anon();
    const count = async (q) => {
      const r = await anon.get(`/api/v1/registry?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, r.text);
      return r.json.results.filter((x) => x.number === cert.number).length;
    };
    const got = await anon.get(`/api/v1/registry/${cert.number}`);
    assert.equal(got.status, 200, got.text);
    const cli = srv.cli(['registry', 'get', cert.number], { today: false });
    assert.equal(cli.code, 0, cli.stdout);
    assert.deepEqual(got.json, cli.json, 'the look-up by number equals `starcert registry get`');
    return {
      name: await count(cert.name),
      short: await count([...cert.name].slice(2, 4).join('')),
      uscc: await count(cert.uscc),
      number: await count(cert.number),
    };
  }

  test('refusals change nothing', async () => {
    const before0 = srv.dbDump({ exclude: BOOKKEEPING });
    const cases = [
      [market, path, { confidential: true }, 422, 'reason_given'],
      [market, path, { confidential: true, reason: ' \u3000\u00a0' }, 422, 'reason_given'],
      [market, path, { confidential: true, reason: 'x'.repeat(2001) }, 413, 'reason'],
      [market, path, { reason: '持证方书面申请' }, 422, 'confidential'],
      [market, path, { confidential: 'yes', reason: '持证方书面申请' }, 422, 'confidential'],
      [market, path, { confidential: true, reason: '持证方书面申请', until: '2026-01-01' }, 422, 'until'],
      [market, '/api/v1/certificates/ASC-2099-999999/confidential', { confidential: true, reason: '持证方书面申请' }, 404, 'number'],
      [holder, path, { confidential: true, reason: '我们申请保密' }, 403, 'as'],
    ];
    for (const [client, p, body, status, field] of cases) {
      const res = await client.post(p, body);
      assert.equal(res.status, status, `${JSON.stringify(body).slice(0, 80)}: ${res.text}`);
      assert.equal(errorOf(res).field, field, `${JSON.stringify(body).slice(0, 80)}: ${res.text}`);
    }
    const noBody = await market.request('POST', path, { body: 'not json', type: 'application/json' });
    assert.equal(noBody.status, 400, noBody.text);
    assert.equal(srv.dbDump({ exclude: BOOKKEEPING }), before0);
  });

  test('market sets it, the committee clears it, the registry follows on the next request', async () => {
    // warm the registry cache with the look-up by number
    assert.deepEqual(await registry(), { name: 1, short: 1, uscc: 1, number: 1 }, 'public before');
    assert.deepEqual(await registry(), { name: 1, short: 1, uscc: 1, number: 1 }, 'public, cached');

    // asking for the value it already has writes nothing
    const same0 = srv.dbDump({ exclude: BOOKKEEPING });
    const same = await market.post(path, { confidential: false, reason: '持证方书面申请' });
    assert.equal(same.status, 200, same.text);
    assert.equal(same.json.confidential, false);
    assert.equal(srv.dbDump({ exclude: BOOKKEEPING }), same0, 'a no-op writes nothing');

    const events0 = srv.sql('SELECT COUNT(*) AS n FROM events')[0].n;
    const on = await market.post(path, { confidential: true, reason: '持证方书面申请保密（2025-06-28 函）' });
    assert.equal(on.status, 200, on.text);
    assert.equal(on.json.number, cert.number, 'answers the certificate view');
    assert.equal(on.json.confidential, true);
    assert.equal(on.json.state, 'active', 'the state stays');
    const last = on.json.status_changes.at(-1);
    assert.equal(last.action, 'set_confidential');
    assert.equal(last.by, MARKET);
    assert.equal(last.reason, '持证方书面申请保密（2025-06-28 函）');
    assert.equal(srv.sql('SELECT COUNT(*) AS n FROM events')[0].n, events0 + 1, 'one event');
    const ev = srv.sql('SELECT action, detail FROM events ORDER BY id DESC LIMIT 1')[0];
    assert.equal(ev.action, 'certificate.confidential');
    const detail = JSON.parse(ev.detail);
    assert.equal(detail.before.confidential, false);
    assert.equal(detail.after.confidential, true);
    assert.deepEqual(await registry(), { name: 0, short: 0, uscc: 0, number: 1 }, 'confidential: found by number only');

    // again: nothing written
    const again0 = srv.dbDump({ exclude: BOOKKEEPING });
    const again = await committee.post(path, { confidential: true, reason: '重复申请' });
    assert.equal(again.status, 200, again.text);
    assert.equal(srv.dbDump({ exclude: BOOKKEEPING }), again0, 'a repeated request writes nothing');

    const off = await committee.post(path, { confidential: false, reason: '持证方撤回保密申请' });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.json.confidential, false);
    assert.equal(off.json.status_changes.at(-1).action, 'clear_confidential');
    assert.equal(off.json.status_changes.at(-1).by, COMMITTEE);
    assert.deepEqual(await registry(), { name: 1, short: 1, uscc: 1, number: 1 }, 'public again');
  });

  test('the staff view shows the flag and the event chain verifies', async () => {
    const view = await market.get(`/api/v1/certificates/${cert.number}`);
    assert.equal(view.status, 200, view.text);
    assert.equal(view.json.confidential, false);
    const v = srv.cli(['audit-verify'], { today: false });
    assert.equal(v.code, 0, v.stdout);
    assert.equal(v.json.valid, true);
  });
});
