// test_link_end: POST /api/v1/users/{id}/links/{link_id}/end. The declarer
// ends their own ongoing link, an admin anyone's; the link must be the
// path user's; an ended link is not changed again; a bad body or date is
// refused; no refusal changes the database; and the audit team rule
// follows the new end (free the day after end + 24 months).
// Not for: who may call the route in general (test_authz).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { errorOf, startServer } from './lib.mjs';

const BOOKKEEPING = ['sessions', 'login_attempts', 'api_tokens'];

describe('ending an impartiality link', () => {
  let srv;
  let c; // login -> Client
  let app;
  let org;
  let link;
  let other;
  before(async () => {
    srv = await startServer({ demo: true });
    app = srv.sql("SELECT id, organisation_id FROM applications WHERE state = 'documents_approved' LIMIT 1")[0];
    org = app.organisation_id;
    c = await srv.loginAll(['chen.jing', 'wu.fang', 'sun.li', 'zhang.min']);
    const made = await c['wu.fang'].post('/api/v1/users/wu.fang/links', { organisation: org, kind: 'consulted', from: '2020-01-01', ongoing: true });
    assert.equal(made.status, 201, made.text);
    link = made.json.id;
    const made2 = await c['sun.li'].post('/api/v1/users/sun.li/links', { organisation: org, kind: 'employed', from: '2021-01-01', ongoing: true });
    assert.equal(made2.status, 201, made2.text);
    other = made2.json.id;
  });
  after(async () => {
    await srv?.stop();
  });

  test('refusals change nothing', async () => {
    const before0 = srv.dbDump({ exclude: BOOKKEEPING });
    const cases = [
      [c['sun.li'], `/api/v1/users/wu.fang/links/${link}/end`, { to: '2023-07-20' }, 403, 'as'],
      [c['sun.li'], `/api/v1/users/sun.li/links/${link}/end`, { to: '2023-07-20' }, 403, 'as'],
      [c['sun.li'], '/api/v1/users/sun.li/links/9999/end', { to: '2023-07-20' }, 403, 'as'],
      [c['chen.jing'], `/api/v1/users/sun.li/links/${link}/end`, { to: '2023-07-20' }, 404, 'link'],
      [c['chen.jing'], '/api/v1/users/wu.fang/links/9999/end', { to: '2023-07-20' }, 404, 'link'],
      [c['chen.jing'], '/api/v1/users/wu.fang/links/abc/end', { to: '2023-07-20' }, 404, 'link'],
      [c['wu.fang'], `/api/v1/users/wu.fang/links/${link}/end`, { to: '2019-12-31' }, 422, 'to'],
      [c['wu.fang'], `/api/v1/users/wu.fang/links/${link}/end`, { to: '2023-02-29' }, 422, 'to'],
      [c['wu.fang'], `/api/v1/users/wu.fang/links/${link}/end`, {}, 422, 'to'],
      [c['wu.fang'], `/api/v1/users/wu.fang/links/${link}/end`, { to: '2023-07-20', why: 'x' }, 422, 'why'],
    ];
    for (const [client, p, body, status, field] of cases) {
      const res = await client.post(p, body);
      assert.equal(res.status, status, `${p} ${JSON.stringify(body)}: ${res.text}`);
      assert.equal(errorOf(res).field, field, `${p}: ${res.text}`);
    }
    assert.equal(srv.dbDump({ exclude: BOOKKEEPING }), before0);
  });

  test('the declarer ends the link; the team rule follows the end; an ended link stays', async () => {
    const plan = (from, to) => c['zhang.min'].post('/api/v1/audits', { application: app.id, from, to, team: [{ login: 'zhao.qiang', lead: true }, { login: 'wu.fang' }] });
    const res = await c['wu.fang'].post(`/api/v1/users/wu.fang/links/${link}/end`, { to: '2023-07-20' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.to, '2023-07-20');
    assert.equal(res.json.ongoing, false);
    const again = await c['chen.jing'].post(`/api/v1/users/wu.fang/links/${link}/end`, { to: '2023-07-21' });
    assert.equal(again.status, 409, again.text);
    assert.equal(errorOf(again).field, 'link');

    const barred = await plan('2025-07-20', '2025-07-21');
    assert.equal(barred.status, 422, barred.text);
    assert.equal(errorOf(barred).code, 'impartiality_conflict');
    const free = await plan('2025-07-21', '2025-07-22');
    assert.equal(free.status, 201, free.text);
  });

  test('an admin ends anyone\'s link, on a future day', async () => {
    const res = await c['chen.jing'].post(`/api/v1/users/sun.li/links/${other}/end`, { to: '2026-01-31' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.to, '2026-01-31');
    const ev = JSON.parse(srv.sql("SELECT detail FROM events WHERE action = 'link.end' ORDER BY id DESC LIMIT 1")[0].detail);
    assert.equal(ev.before.ongoing, true);
    assert.equal(ev.after.to, '2026-01-31');
  });
});
