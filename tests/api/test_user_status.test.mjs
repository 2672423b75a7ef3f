// test_user_status: deactivating and reactivating an account over HTTP.
// A deactivated user's log-in gets exactly the answer of a wrong password;
// their session and bearer token are refused on the very next request;
// reactivation allows log-in again while the old session and token stay
// ended; the refusals (self, non-admin, already inactive, bad bodies) leave
// the database unchanged; two admins deactivating each other at the same
// moment never leave the CB without an active admin.
// Not for: audit teams, reviews and votes (tests/cli/test_user_status.sh).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { errorOf, PASSWORD, startServer } from './lib.mjs';

// Tables that reads and log-ins legitimately touch.
const BOOKKEEPING = ['sessions', 'login_attempts', 'api_tokens'];

describe('deactivate and reactivate', () => {
  let srv;
  let admin;
  before(async () => {
    srv = await startServer({
      env: { STARCERT_LOGIN_ADDRESS_MAX: '1000' },
      users: [
        { login: 'admin', name: 'Admin', role: 'admin' },
        { login: 'admin2', name: 'Admin Two', role: 'admin' },
        { login: 'market1', name: 'Market One', role: 'market' },
        { login: 'aud1', name: 'Auditor One', role: 'auditor' },
      ],
    });
    admin = await srv.login('admin');
  });
  after(async () => {
    await srv?.stop();
  });

  test('the user view shows "active"', async () => {
    const res = await admin.get('/api/v1/users/market1');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.active, true);
  });

  test('refusals change nothing: another role, oneself, a bad body, an unknown user', async () => {
    const market = await srv.login('market1');
    const before0 = srv.dbDump({ exclude: BOOKKEEPING });
    const cases = [
      [market, '/api/v1/users/aud1/deactivate', { reason: 'x' }, 403, 'as'],
      [market, '/api/v1/users/aud1/reactivate', {}, 403, 'as'],
      [admin, '/api/v1/users/admin/deactivate', { reason: '自己' }, 422, 'user'],
      [admin, '/api/v1/users/aud1/deactivate', {}, 422, 'reason'],
      [admin, '/api/v1/users/aud1/deactivate', { reason: '  ' }, 422, 'reason'],
      [admin, '/api/v1/users/aud1/deactivate', { reason: 'x', until: '2026-01-01' }, 422, 'until'],
      [admin, '/api/v1/users/aud1/reactivate', { reason: 'x' }, 422, 'reason'],
      [admin, '/api/v1/users/aud1/reactivate', {}, 409, 'user'],
      [admin, '/api/v1/users/nobody/deactivate', { reason: 'x' }, 404, 'user'],
      [admin, '/api/v1/users/9999/deactivate', { reason: 'x' }, 404, 'user'],
    ];
    for (const [client, p, body, status, field] of cases) {
      const res = await client.post(p, body);
      assert.equal(res.status, status, `${p} ${JSON.stringify(body)}: ${res.text}`);
      assert.equal(errorOf(res).field, field, `${p}: ${res.text}`);
    }
    assert.equal(srv.dbDump({ exclude: BOOKKEEPING }), before0, 'refusals changed the database');
  });

  test('deactivated: log-in is a wrong password, session and token end at once; reactivated: log-in again, old ones stay ended', async () => {
    const session = await srv.login('aud1');
    const token = await srv.token('aud1');
    const bearer = srv.bearer(token);
    assert.equal((await session.get('/api/v1/session')).status, 200);
    assert.equal((await bearer.get('/api/v1/users/aud1')).status, 200);

    const res = await admin.post('/api/v1/users/aud1/deactivate', { reason: '离职' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.login, 'aud1');
    assert.equal(res.json.active, false);
    const ev = srv.sql("SELECT detail FROM events WHERE action = 'user.deactivate' ORDER BY id DESC LIMIT 1")[0];
    const detail = JSON.parse(ev.detail);
    assert.equal(detail.reason, '离职');
    assert.deepEqual(detail.before, { active: true });
    assert.deepEqual(detail.after, { active: false });
    assert.ok(detail.sessions_ended >= 1, ev.detail);
    assert.equal(detail.tokens_revoked, 1);

    // the very next requests
    assert.equal((await session.get('/api/v1/session')).status, 401);
    assert.equal((await bearer.get('/api/v1/users/aud1')).status, 401);
    const write = await session.post('/api/v1/users/aud1/links', { organisation: 1, kind: 'consulted', from: '2024-01-01', ongoing: true });
    assert.equal(write.status, 401);

    // log-in: the same answer as a wrong password
    const deactivated = await srv.anon().post('/api/v1/session', { login: 'aud1', password: PASSWORD });
    const wrong = await srv.anon().post('/api/v1/session', { login: 'market1', password: 'not the password at all' });
    assert.equal(deactivated.status, 401);
    assert.equal(wrong.status, 401);
    assert.deepEqual(errorOf(deactivated), errorOf(wrong));

    // twice: 409
    const again = await admin.post('/api/v1/users/aud1/deactivate', { reason: 'again' });
    assert.equal(again.status, 409, again.text);

    // the history stays: the admin still sees the user
    const seen = await admin.get('/api/v1/users/aud1');
    assert.equal(seen.status, 200);
    assert.equal(seen.json.active, false);

    // reactivate (no body at all)
    const re = await admin.request('POST', '/api/v1/users/aud1/reactivate');
    assert.equal(re.status, 200, re.text);
    assert.equal(re.json.active, true);
    assert.equal((await session.get('/api/v1/session')).status, 401, 'the old session stays ended');
    assert.equal((await bearer.get('/api/v1/users/aud1')).status, 401, 'the old token stays revoked');
    const fresh = await srv.login('aud1');
    assert.equal((await fresh.get('/api/v1/session')).status, 200, 'log-in works again');
  });

  test('two admins deactivating each other at once leave one admin active', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await srv.login('admin');
      const b = await srv.login('admin2');
      const [ra, rb] = await Promise.all([
        a.post('/api/v1/users/admin2/deactivate', { reason: `round ${round}` }),
        b.post('/api/v1/users/admin/deactivate', { reason: `round ${round}` }),
      ]);
      const active = srv.sql("SELECT login FROM users WHERE role = 'admin' AND active = 1");
      assert.equal(active.length, 1, `round ${round}: ${ra.status} ${rb.status} ${JSON.stringify(active)}`);
      // exactly one succeeded; the other was refused (401: its session
      // ended first, or 409: the last active admin)
      const codes = [ra.status, rb.status].sort();
      assert.equal(codes[0], 200, `round ${round}: ${ra.text} ${rb.text}`);
      assert.ok([401, 409].includes(codes[1]), `round ${round}: ${ra.text} ${rb.text}`);
      srv.must(['user', 'reactivate', active[0].login === 'admin' ? 'admin2' : 'admin', '--as', active[0].login]);
    }
    admin = await srv.login('admin');
  });
});
