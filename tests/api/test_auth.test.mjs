// test_auth: accounts over HTTP. Log-in (cookie attributes, the same 401
// for a wrong password and an unknown login, taking about as long), who is
// logged in, log-out, CSRF on cookie-authenticated writes (refused writes
// leave the database unchanged), bearer API tokens (no CSRF; revocation),
// rate limits per account and per address (429 with Retry-After; a success
// resets the account's count), session expiry (idle and absolute, with
// short limits from the environment), password changes, and the enterprise
// self-registration (统一社会信用代码 checked; all or nothing).
// Not for: what each role may do on other routes (test_authz).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { errorOf, PASSWORD, runCli, sleep, SLOW, startServer } from './lib.mjs';

const HEX64 = /^[0-9a-f]{64}$/;
// Valid 统一社会信用代码 (GB 32100 check characters).
const USCC_A = '91370200163562681G';
const USCC_B = '91110000100006792C';
const USCC_BAD = '91370200163562681X'; // wrong check character

// Tables that reads and log-ins legitimately touch.
const BOOKKEEPING = ['sessions', 'login_attempts', 'api_tokens'];

function cookieOf(res) {
  const set = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
  return set.find((c) => /^sc_session=/.test(c || ''));
}

async function postLogin(srv, login, password) {
  return srv.anon().post('/api/v1/session', { login, password });
}

// ---- the main server: default limits but a generous address limit ----------

describe('sessions, CSRF, tokens, passwords, account limit', () => {
  let srv;
  before(async () => {
    srv = await startServer({
      env: { STARCERT_LOGIN_ADDRESS_MAX: '1000' },
      users: [
        { login: 'admin', name: 'Admin', role: 'admin' },
        { login: 'market1', name: 'Market One', role: 'market' },
        { login: 'rl1', name: 'Rate One', role: 'review' },
        { login: 'rl2', name: 'Rate Two', role: 'review' },
        { login: 'pw1', name: 'Password One', role: 'auditor' },
      ],
    });
  });
  after(async () => {
    await srv?.stop();
  });

  test('log-in: 201, the user view, the CSRF token, a HttpOnly SameSite=Strict cookie', async () => {
    const res = await postLogin(srv, 'market1', PASSWORD);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.user.login, 'market1');
    assert.equal(res.json.user.role, 'market');
    assert.match(res.json.csrf_token, HEX64);
    assert.equal(res.json.idle_timeout, 8 * 3600);
    const c = cookieOf(res);
    assert.ok(c, 'a sc_session cookie is set');
    const parts = c.split(';').map((s) => s.trim());
    assert.match(parts[0], /^sc_session=[0-9a-f]{64}$/);
    assert.ok(parts.includes('HttpOnly'), c);
    assert.ok(parts.includes('SameSite=Strict'), c);
    assert.ok(parts.includes('Path=/'), c);
    assert.ok(!parts.includes('Secure'), 'no Secure attribute unless configured');
    // the token is stored hashed only
    const token = parts[0].slice('sc_session='.length);
    const rows = srv.sql('SELECT token_hash FROM sessions');
    assert.ok(rows.length >= 1);
    assert.ok(rows.every((r) => r.token_hash !== token));
  });

  test('a wrong password and an unknown login get the same 401, in about the same time', async () => {
    const bad = await postLogin(srv, 'market1', 'not the password at all');
    const ghost = await postLogin(srv, 'nobody-here', 'not the password at all');
    assert.equal(bad.status, 401);
    assert.equal(ghost.status, 401);
    assert.deepEqual(errorOf(bad), errorOf(ghost));
    assert.ok(!cookieOf(bad) && !cookieOf(ghost), 'no cookie on failure');
    // Argon2id runs for both (a dummy hash for the unknown login)
    const time = async (login) => {
      const t = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await postLogin(srv, login, 'still not the password');
        t.push(performance.now() - t0);
      }
      return t.sort((a, b) => a - b)[1];
    };
    const known = await time('pw1');
    const unknown = await time('ghost-user');
    assert.ok(unknown > known * 0.5 && unknown < known * 2 + 20,
      `unknown login ${unknown.toFixed(1)} ms vs known ${known.toFixed(1)} ms`);
    // pw1's failures must not lock it for the later tests
    assert.equal((await postLogin(srv, 'pw1', PASSWORD)).status, 201);
  });

  test('malformed log-in bodies are 4xx naming the field', async () => {
    let res = await srv.anon().post('/api/v1/session', { login: 'market1' });
    assert.equal(res.status, 422);
    assert.equal(errorOf(res).field, 'password');
    res = await srv.anon().post('/api/v1/session', { login: 'market1', password: PASSWORD, remember: true });
    assert.equal(res.status, 422);
    assert.equal(errorOf(res).field, 'remember');
    res = await srv.anon().post('/api/v1/session', { login: 5, password: PASSWORD });
    assert.equal(res.status, 422);
    assert.equal(errorOf(res).field, 'login');
    res = await srv.anon().post('/api/v1/session', undefined, { body: '{"login":', type: 'application/json' });
    assert.equal(res.status, 400);
  });

  test('GET /api/v1/session says who is logged in; without a session 401', async () => {
    const c = await srv.login('market1');
    const res = await c.get('/api/v1/session');
    assert.equal(res.status, 200);
    assert.equal(res.json.user.login, 'market1');
    assert.equal(res.json.csrf_token, c.csrf);
    const anon = await srv.anon().get('/api/v1/session');
    assert.equal(anon.status, 401);
    assert.equal(errorOf(anon).code, 'unauthenticated');
    const forged = await srv.anon().get('/api/v1/session', { headers: { Cookie: `sc_session=${'0'.repeat(64)}` } });
    assert.equal(forged.status, 401);
    const junk = await srv.anon().get('/api/v1/session', { headers: { Cookie: 'sc_session=not-a-token' } });
    assert.equal(junk.status, 401);
  });

  test('log-out needs the CSRF token, deletes the session and clears the cookie', async () => {
    const c = await srv.login('market1');
    const noCsrf = await c.request('DELETE', '/api/v1/session', { headers: { 'X-CSRF-Token': '' } });
    assert.equal(noCsrf.status, 403);
    assert.equal((await c.get('/api/v1/session')).status, 200, 'still logged in');
    const res = await c.delete('/api/v1/session');
    assert.equal(res.status, 204, res.text);
    const cleared = cookieOf(res);
    assert.match(cleared, /^sc_session=;/);
    assert.match(cleared, /Max-Age=0/);
    const after = await c.get('/api/v1/session');
    assert.equal(after.status, 401);
  });

  test('CSRF: a cookie write without or with a wrong X-CSRF-Token is 403 and changes nothing', async () => {
    const c = await srv.login('admin');
    const body = { user: 'market1', label: 'csrf probe' };
    const before = srv.dbDump({ exclude: ['sessions', 'login_attempts'] });
    const missing = await c.request('POST', '/api/v1/tokens', {
      json: body,
      headers: { 'X-CSRF-Token': '' },
    });
    assert.equal(missing.status, 403);
    assert.equal(errorOf(missing).field, 'csrf');
    const wrong = await c.request('POST', '/api/v1/tokens', {
      json: body,
      headers: { 'X-CSRF-Token': c.csrf.replace(/^./, (x) => (x === '0' ? '1' : '0')) },
    });
    assert.equal(wrong.status, 403);
    assert.equal(errorOf(wrong).field, 'csrf');
    const short = await c.request('POST', '/api/v1/tokens', { json: body, headers: { 'X-CSRF-Token': c.csrf.slice(0, 10) } });
    assert.equal(short.status, 403);
    // another session's CSRF token is no good either
    const other = await srv.login('admin');
    const crossed = await c.request('POST', '/api/v1/tokens', { json: body, headers: { 'X-CSRF-Token': other.csrf } });
    assert.equal(crossed.status, 403);
    assert.equal(srv.dbDump({ exclude: ['sessions', 'login_attempts'] }), before);
    // with the right token it goes through
    const ok = await c.post('/api/v1/tokens', body);
    assert.equal(ok.status, 201, ok.text);
  });

  test('bearer tokens: created by an admin, shown once, work without CSRF, revocable', async () => {
    const admin = await srv.login('admin');
    const created = await admin.post('/api/v1/tokens', { user: 'admin', label: 'ci robot', days: 30 });
    assert.equal(created.status, 201, created.text);
    assert.match(created.json.token, /^sct_[0-9a-f]{64}$/);
    assert.equal(created.json.login, 'admin');
    assert.equal(created.json.revoked_at, null);
    const bot = srv.bearer(created.json.token);
    // a write with no CSRF header at all
    const made = await bot.post('/api/v1/tokens', { user: 'market1', label: 'made by a bot' });
    assert.equal(made.status, 201, made.text);
    const who = await bot.get('/api/v1/session');
    assert.equal(who.status, 200);
    assert.equal(who.json.user.login, 'admin');
    assert.equal(who.json.csrf_token, null);
    // listing never shows a secret
    const list = await bot.get('/api/v1/tokens');
    assert.equal(list.status, 200);
    assert.ok(list.json.length >= 2);
    assert.ok(list.json.every((t) => !('token' in t)));
    assert.ok(!list.text.includes(created.json.token.slice(4)));
    // a bearer "log-out" is refused: tokens are revoked
    assert.equal((await bot.delete('/api/v1/session')).status, 422);
    // revoke; then the token is dead
    const rev = await admin.delete(`/api/v1/tokens/${created.json.id}`);
    assert.equal(rev.status, 200, rev.text);
    assert.ok(rev.json.revoked_at);
    assert.equal((await bot.get('/api/v1/session')).status, 401);
    assert.equal((await admin.delete(`/api/v1/tokens/${created.json.id}`)).status, 409);
    // malformed and unknown tokens
    assert.equal((await srv.bearer('sct_' + 'f'.repeat(64)).get('/api/v1/session')).status, 401);
    assert.equal((await srv.bearer('nonsense').get('/api/v1/session')).status, 401);
    const basic = await srv.anon().get('/api/v1/session', { headers: { Authorization: 'Basic YTpi' } });
    assert.equal(basic.status, 401);
  });

  test('only an admin creates tokens; a user may revoke only their own', async () => {
    const market = await srv.login('market1');
    const res = await market.post('/api/v1/tokens', { user: 'market1', label: 'mine' });
    assert.equal(res.status, 403);
    const admin = await srv.login('admin');
    const t1 = await admin.post('/api/v1/tokens', { user: 'market1', label: 'for market' });
    const t2 = await admin.post('/api/v1/tokens', { user: 'admin', label: 'for admin' });
    assert.equal(t1.status, 201);
    assert.equal((await market.delete(`/api/v1/tokens/${t2.json.id}`)).status, 404);
    assert.equal((await market.delete(`/api/v1/tokens/${t1.json.id}`)).status, 200);
    const bad = await admin.post('/api/v1/tokens', { user: 'market1', label: 'x', days: 367 });
    assert.equal(bad.status, 422);
    assert.equal(errorOf(bad).field, 'days');
    const nouser = await admin.post('/api/v1/tokens', { user: 'no-such-user', label: 'x' });
    assert.equal(nouser.status, 404);
  });

  test('5 failed log-ins lock the account: 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await postLogin(srv, 'rl1', `wrong password ${i}`);
      assert.equal(r.status, 401, `attempt ${i + 1}`);
    }
    const locked = await postLogin(srv, 'rl1', PASSWORD);
    assert.equal(locked.status, 429, locked.text);
    assert.equal(errorOf(locked).code, 'rate_limited');
    const retry = Number(locked.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry > 0 && retry <= 900, `Retry-After ${retry}`);
    assert.ok(!cookieOf(locked));
    // another account from the same address is not affected
    assert.equal((await postLogin(srv, 'rl2', PASSWORD)).status, 201);
  });

  test('a successful log-in resets the account count', async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++)
        assert.equal((await postLogin(srv, 'rl2', `wrong ${round}.${i}`)).status, 401);
      const ok = await postLogin(srv, 'rl2', PASSWORD);
      assert.equal(ok.status, 201, `round ${round}: ${ok.text}`); // 8 failures in all
    }
  });

  test('passwords: self with the old one, admin for others, nobody else', async () => {
    const first = await srv.login('pw1');
    const second = await srv.login('pw1');
    const id = (await first.get('/api/v1/session')).json.user.id;
    const NEW = 'a brand new passphrase';
    let r = await first.post(`/api/v1/users/${id}/password`, { password: NEW });
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'old_password');
    r = await first.post(`/api/v1/users/${id}/password`, { password: NEW, old_password: 'wrong old password' });
    assert.equal(r.status, 403);
    assert.equal(errorOf(r).field, 'old_password');
    r = await first.post(`/api/v1/users/${id}/password`, { password: 'short', old_password: PASSWORD });
    assert.equal(r.status, 422);
    assert.equal(errorOf(r).field, 'password');
    r = await first.post(`/api/v1/users/${id}/password`, { password: 'pw1', old_password: PASSWORD });
    assert.equal(r.status, 422);
    r = await first.post(`/api/v1/users/${id}/password`, { password: NEW, old_password: PASSWORD });
    assert.equal(r.status, 204, r.text);
    // this session goes on, the other one ended
    assert.equal((await first.get('/api/v1/session')).status, 200);
    assert.equal((await second.get('/api/v1/session')).status, 401);
    assert.equal((await postLogin(srv, 'pw1', PASSWORD)).status, 401);
    assert.equal((await postLogin(srv, 'pw1', NEW)).status, 201);
    // someone else may not, by id or by login
    const market = await srv.login('market1');
    assert.equal((await market.post(`/api/v1/users/${id}/password`, { password: 'hijacked password' })).status, 403);
    assert.equal((await market.post('/api/v1/users/pw1/password', { password: 'hijacked password' })).status, 403);
    assert.equal((await market.post('/api/v1/users/ghost/password', { password: 'hijacked password' })).status, 403);
    // an admin may, without the old password
    const admin = await srv.login('admin');
    r = await admin.post('/api/v1/users/pw1/password', { password: PASSWORD });
    assert.equal(r.status, 204, r.text);
    assert.equal((await first.get('/api/v1/session')).status, 401, 'an admin reset ends the sessions');
    assert.equal((await postLogin(srv, 'pw1', PASSWORD)).status, 201);
    assert.equal((await admin.post('/api/v1/users/ghost/password', { password: PASSWORD })).status, 404);
    // the trail records it, without any secret
    const ev = srv.sql("SELECT detail FROM events WHERE action = 'user.password'");
    assert.ok(ev.length >= 2);
    assert.ok(ev.every((e) => !/argon2|passphrase|horse/.test(e.detail)));
  });

  test('self-registration: organisation and first user in one go, then log-in', async () => {
    const body = {
      organisation: { name: '青岛星级家电有限公司', uscc: USCC_A, address: '山东省青岛市崂山区', employees: 120 },
      user: { login: 'qd-admin', name: '王芳', password: 'qingdao service 2025' },
    };
    const res = await srv.anon().post('/api/v1/registrations', body);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.organisation.uscc, USCC_A);
    assert.equal(res.json.user.login, 'qd-admin');
    assert.equal(res.json.user.role, 'enterprise');
    assert.equal(res.json.user.organisation, res.json.organisation.id);
    const c = await srv.login('qd-admin', 'qingdao service 2025');
    const me = await c.get('/api/v1/session');
    assert.equal(me.json.user.organisation, res.json.organisation.id);
    const ev = srv.sql("SELECT actor_id, action FROM events WHERE action IN ('organisation.create', 'user.create', 'registration.create') AND id > (SELECT MAX(id) - 3 FROM events) ORDER BY id");
    assert.deepEqual(ev.map((e) => e.action), ['organisation.create', 'user.create', 'registration.create']);
    assert.ok(ev.every((e) => e.actor_id === null), 'the system acts');
  });

  test('self-registration refusals write nothing: bad USCC 422, duplicates 409', async () => {
    const good = {
      organisation: { name: '北京某公司', uscc: USCC_B, address: '北京市', employees: 10 },
      user: { login: 'bj-user', name: '李雷', password: 'beijing service 1' },
    };
    const before = srv.dbDump({ exclude: ['sessions', 'login_attempts'] });
    const tries = [
      [{ ...good, organisation: { ...good.organisation, uscc: USCC_BAD } }, 422, 'organisation.uscc'],
      [{ ...good, organisation: { ...good.organisation, uscc: USCC_A } }, 409, 'organisation.uscc'],
      [{ ...good, user: { ...good.user, login: 'qd-admin' } }, 409, 'user.login'],
      [{ ...good, user: { ...good.user, login: 'market1' } }, 409, 'user.login'],
      [{ ...good, user: { ...good.user, password: 'short' } }, 422, 'user.password'],
      [{ ...good, user: { ...good.user, password: 'bj-user' } }, 422, 'user.password'],
      [{ ...good, user: { ...good.user, login: 'Bad Login' } }, 422, 'user.login'],
      [{ ...good, organisation: { ...good.organisation, employees: 0 } }, 422, 'organisation.employees'],
      [{ ...good, organisation: { ...good.organisation, website: 'x' } }, 422, 'organisation.website'],
      [{ ...good, user: { ...good.user, role: 'admin' } }, 422, 'user.role'],
      [{ organisation: good.organisation }, 422, 'user'],
    ];
    for (const [body, status, field] of tries) {
      const res = await srv.anon().post('/api/v1/registrations', body);
      assert.equal(res.status, status, `${field}: ${res.text}`);
      assert.equal(errorOf(res).field, field);
    }
    assert.equal(srv.dbDump({ exclude: ['sessions', 'login_attempts'] }), before, 'nothing written');
    const ok = await srv.anon().post('/api/v1/registrations', good);
    assert.equal(ok.status, 201, ok.text);
  });

  test('the command line sets passwords; tokens from `starcert token` work over HTTP', async (t) => {
    let r = srv.cli(['user', 'passwd', '--login', 'rl2'], { input: 'a password from the cli\n' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((await postLogin(srv, 'rl2', 'a password from the cli')).status, 201);
    r = srv.cli(['user', 'passwd', '--login', 'rl2'], { input: 'short\n' });
    assert.equal(r.code, 1);
    assert.equal(r.json.error.field, 'password');
    if (runCli(['token', '--help']).code !== 0) {
      t.skip('`starcert token` is not registered in main.c yet');
      return;
    }
    r = srv.cli(['token', 'create', '--as', 'admin', '--user', 'market1', '--label', 'cli made']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const who = await srv.bearer(r.json.token).get('/api/v1/session');
    assert.equal(who.status, 200);
    assert.equal(who.json.user.login, 'market1');
  });
});

// ---- a second server: short sessions, small address limits, Secure ---------

describe('expiry, address limits, Secure cookies', () => {
  let srv;
  before(async () => {
    srv = await startServer({
      env: {
        STARCERT_SESSION_IDLE_SECONDS: String(2 * SLOW),
        STARCERT_SESSION_ABSOLUTE_SECONDS: String(5 * SLOW),
        STARCERT_LOGIN_ADDRESS_MAX: '3',
        STARCERT_REGISTER_MAX: '2',
        STARCERT_SECURE_COOKIES: '1',
      },
      users: [
        { login: 'admin', name: 'Admin', role: 'admin' },
        { login: 'user1', name: 'User One', role: 'market' },
      ],
    });
  });
  after(async () => {
    await srv?.stop();
  });

  test('the cookie carries Secure when the site says it is HTTPS', async () => {
    const res = await postLogin(srv, 'user1', PASSWORD);
    assert.equal(res.status, 201);
    assert.ok(cookieOf(res).split(';').map((s) => s.trim()).includes('Secure'));
  });

  test('an idle session ends', async () => {
    const c = await srv.login('user1');
    assert.equal((await c.get('/api/v1/session')).status, 200);
    await sleep((2 * SLOW + 1.5) * 1000);
    const res = await c.get('/api/v1/session');
    assert.equal(res.status, 401);
    assert.equal(errorOf(res).code, 'unauthenticated');
  });

  test('a used session still ends at its absolute limit', async () => {
    const c = await srv.login('user1');
    const t0 = Date.now();
    // used every ~0.7 s: never idle for 2 s
    while (Date.now() - t0 < (5 * SLOW - 1.5) * 1000) {
      const r = await c.get('/api/v1/session');
      assert.equal(r.status, 200, `at ${Date.now() - t0} ms`);
      await sleep(700);
    }
    while (Date.now() - t0 < (5 * SLOW + 1.2) * 1000) {
      await c.get('/api/v1/session');
      await sleep(500);
    }
    assert.equal((await c.get('/api/v1/session')).status, 401);
  });

  test('failures from one address are limited across accounts', async () => {
    for (let i = 0; i < 3; i++)
      assert.equal((await postLogin(srv, `stranger${i}`, 'guessing a password')).status, 401);
    const res = await postLogin(srv, 'admin', PASSWORD);
    assert.equal(res.status, 429, res.text);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });

  test('self-registrations are limited per address', async () => {
    const body = (n) => ({
      organisation: { name: `公司${n}`, uscc: USCC_BAD, address: '上海', employees: 5 },
      user: { login: `reg${n}`, name: 'N', password: 'registration pw 1' },
    });
    assert.equal((await srv.anon().post('/api/v1/registrations', body(1))).status, 422);
    assert.equal((await srv.anon().post('/api/v1/registrations', body(2))).status, 422);
    const res = await srv.anon().post('/api/v1/registrations', body(3));
    assert.equal(res.status, 429, res.text);
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 3600, `Retry-After ${retry}`);
  });
});

// ---- behind a reverse proxy: X-Forwarded-For from trusted hops only ---------

describe('log-in limits behind a trusted proxy (serve --trust-proxy)', () => {
  const users = [
    { login: 'admin', name: 'Admin', role: 'admin' },
    { login: 'user1', name: 'User One', role: 'market' },
  ];
  const env = { STARCERT_LOGIN_ADDRESS_MAX: '3' };
  const loginFrom = (srv, xff, login, password) =>
    srv.anon().post('/api/v1/session', { login, password }, { headers: { 'X-Forwarded-For': xff } });

  test('the proxy\'s clients are counted apart; a client cannot pick its own address', async () => {
    const srv = await startServer({ env, users, args: ['--trust-proxy', '127.0.0.1'] });
    try {
      // client 203.0.113.9 fails three times (its own header entry on the
      // left is not believed: the proxy appended the address it saw)
      for (let i = 0; i < 3; i++) {
        const r = await loginFrom(srv, `6.6.6.${i}, 203.0.113.9`, `stranger${i}`, 'guessing a password');
        assert.equal(r.status, 401, r.text);
      }
      const limited = await loginFrom(srv, '203.0.113.9', 'user1', PASSWORD);
      assert.equal(limited.status, 429, limited.text);
      // another client behind the same proxy is not limited
      const other = await loginFrom(srv, '198.51.100.7', 'user1', PASSWORD);
      assert.equal(other.status, 201, other.text);
    } finally {
      await srv.stop();
    }
  });

  test('without --trust-proxy the header is ignored: everyone is the peer', async () => {
    const srv = await startServer({ env, users });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await loginFrom(srv, `203.0.113.${i}`, `stranger${i}`, 'guessing a password');
        assert.equal(r.status, 401, r.text);
      }
      const r = await loginFrom(srv, '198.51.100.7', 'user1', PASSWORD);
      assert.equal(r.status, 429, 'the same peer, whatever the header says');
    } finally {
      await srv.stop();
    }
  });

  test('a proxy address that is not numeric stops the start with a clear error', () => {
    const r = runCli(['serve', '--db', 'unused.db', '--trust-proxy', 'proxy.local']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.json.error.code, 'invalid');
    assert.equal(r.json.error.field, 'trust_proxy');
  });
});
