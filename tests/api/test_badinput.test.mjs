// test_badinput: bad input to the write routes — malformed JSON, the wrong
// Content-Type, bodies that are not objects, duplicate and unknown keys,
// wrong types, invalid dates (29 February of a common year, month 13,
// other formats), out-of-range numbers, oversize bodies, invalid UTF-8,
// uploads of the wrong type or size — is answered 4xx with the JSON error
// naming the field where there is one, and the database is unchanged
// (sha256 of `sqlite3 .dump`, the session bookkeeping tables aside).
// Not for: authorisation (test_authz) or the server's caps in general
// (test_server).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { errorOf, startServer } from './lib.mjs';

let srv;
let as; // login -> Client
let ids;
// Reads may refresh a session's last_seen_at and log-ins count attempts:
// that bookkeeping is not "the database" a refused request must leave
// alone.
const BOOKKEEPING = ['sessions', 'login_attempts', 'api_tokens'];

before(async () => {
  srv = await startServer({ demo: true });
  as = await srv.loginAll(['chen.jing', 'wang.lei', 'zhang.min', 'zheng.guoping', 'zhao.qiang', 'sun.li', 'quancheng']);
  const one = (sql) => Object.values(srv.sql(sql)[0] || {})[0];
  ids = {
    accepted: one("SELECT id FROM applications WHERE state = 'accepted' LIMIT 1"),
    draft: one("SELECT id FROM applications WHERE state = 'draft' LIMIT 1"),
    docsApproved: one("SELECT id FROM applications WHERE state = 'documents_approved' LIMIT 1"),
    inAudit: one("SELECT a.id FROM audits a JOIN applications p ON p.id = a.application_id WHERE p.state = 'in_audit' LIMIT 1"),
    cert: one("SELECT number FROM certificates WHERE state = 'active' LIMIT 1"),
    auditor: one("SELECT id FROM users WHERE login = 'zhao.qiang'"),
    org: one("SELECT id FROM organisations ORDER BY id LIMIT 1"),
  };
  ids.inAuditLead = one(`SELECT u.login FROM audit_team t JOIN users u ON u.id = t.user_id WHERE t.audit_id = ${ids.inAudit} AND t.lead = 1`);
});

after(async () => {
  await srv?.stop();
});

const dump = () => srv.dbDump({ exclude: BOOKKEEPING });

// Sends one bad request and checks: the status (or class), the error's
// code and field when given, and the database unchanged.
async function refused(client, method, p, opts, want) {
  const before0 = dump();
  const res = await client.request(method, p, opts);
  const what = `${method} ${p} ${want.what || ''}: ${res.status} ${res.text.slice(0, 200)}`;
  if (want.status) assert.equal(res.status, want.status, what);
  else assert.ok(res.status >= 400 && res.status < 500, `4xx: ${what}`);
  const e = errorOf(res);
  if (want.code) assert.equal(e.code, want.code, what);
  if (want.field !== undefined) assert.equal(e.field, want.field, what);
  assert.equal(dump(), before0, `the database is unchanged: ${what}`);
  return res;
}

// The JSON write routes: who calls, where, and a body that would be valid
// (so that each variant below breaks exactly one thing).
function routes() {
  return [
    { who: 'chen.jing', method: 'POST', path: '/api/v1/organisations',
      body: { uscc: '91110000MA01ABCD1X', name: '北京坏输入测试有限公司', address: '北京市测试路1号', employees: 50 },
      wrongTypes: { name: 5, employees: 'many', address: ['x'] }, ranges: { employees: [-1, 0] } },
    { who: 'chen.jing', method: 'POST', path: '/api/v1/users',
      body: { login: 'bad.input', name: '坏输入', role: 'market' },
      wrongTypes: { login: 1, role: true }, values: { role: ['boss', 'ADMIN', ''], login: ['Bad Login', 'a'.repeat(64), ''] } },
    { who: 'chen.jing', method: 'POST', path: () => `/api/v1/users/${ids.auditor}/qualifications`,
      body: { kind: 'auditor', number: 'Q-BAD-1', valid_from: '2025-01-01', valid_to: '2026-12-31' },
      dates: ['valid_from', 'valid_to'], wrongTypes: { number: 7 } },
    { who: 'chen.jing', method: 'POST', path: () => `/api/v1/users/${ids.auditor}/links`,
      body: { organisation: () => String(ids.org), kind: 'consulted', from: '2024-01-01', to: '2024-06-30' },
      dates: ['from', 'to'], wrongTypes: { kind: 3, ongoing: 'yes' } },
    { who: 'wang.lei', method: 'POST', path: () => `/api/v1/applications/${ids.accepted}/contract`,
      body: { number: 'HT-BAD-1', fee_cents: 3000000, preliminary_audit: '2025-08-01' },
      dates: ['preliminary_audit'], wrongTypes: { fee_cents: '3000000', number: 12 }, ranges: { fee_cents: [-1, 1.5] } },
    { who: 'zhang.min', method: 'POST', path: '/api/v1/audits',
      body: { application: () => ids.docsApproved, from: '2025-07-20', to: '2025-07-21', team: [{ login: 'zhao.qiang', lead: true }, { login: 'wu.fang' }] },
      dates: ['from', 'to'], wrongTypes: { application: '17x', team: 'zhao.qiang' }, ranges: { application: [0, -5] } },
    { who: 'zheng.guoping', method: 'POST', path: () => `/api/v1/certificates/${ids.cert}/suspend`,
      body: { reason_code: 'serious_nonconformity', reason: '严重不符合' },
      wrongTypes: { reason_code: 5, reason: {} }, values: { reason_code: ['complaints', 'SERIOUS_NONCONFORMITY'] } },
    { who: 'quancheng', method: 'POST', path: () => `/api/v1/applications/${ids.draft}/managers`,
      body: { name: '张三', certificate_no: 'SM-2025-0001' }, wrongTypes: { name: null, certificate_no: 1 } },
    { who: () => ids.inAuditLead, method: 'PUT', path: () => `/api/v1/audits/${ids.inAudit}/results/5.1.1`,
      body: { result: 'conform' }, wrongTypes: { result: 1 }, values: { result: ['maybe', 'CONFORM'] } },
  ];
}

const resolve = (v) => (typeof v === 'function' ? v() : v);
const bodyOf = (r) => Object.fromEntries(Object.entries(r.body).map(([k, v]) => [k, resolve(v)]));
const client = (r) => as[resolve(r.who)];

test('malformed JSON, wrong Content-Type, non-objects and duplicate keys are refused; nothing changes', async () => {
  for (const r of routes()) {
    const c = client(r);
    const p = resolve(r.path);
    const good = JSON.stringify(bodyOf(r));
    await refused(c, r.method, p, { body: good.slice(0, -1), type: 'application/json' }, { status: 400, code: 'malformed', what: 'truncated' });
    await refused(c, r.method, p, { body: '{"a":1,}', type: 'application/json' }, { status: 400, code: 'malformed', what: 'trailing comma' });
    await refused(c, r.method, p, { body: '', type: 'application/json' }, { what: 'empty' });
    await refused(c, r.method, p, { body: good, type: 'text/plain' }, { status: 415, code: 'unsupported_media_type', what: 'text/plain' });
    await refused(c, r.method, p, { body: good, type: 'application/x-www-form-urlencoded' }, { status: 415, what: 'form' });
    await refused(c, r.method, p, { body: good, type: 'application/jsonx' }, { status: 415, what: 'jsonx' });
    await refused(c, r.method, p, { body: '[]', type: 'application/json' }, { status: 422, code: 'invalid', what: 'array' });
    await refused(c, r.method, p, { body: '"x"', type: 'application/json' }, { what: 'string' }); // Jansson: 400 (not an object or array)
    await refused(c, r.method, p, { body: 'null', type: 'application/json' }, { what: 'null' });
    const k = Object.keys(r.body)[0];
    await refused(c, r.method, p, { body: `{${JSON.stringify(k)}:1,${good.slice(1)}`, type: 'application/json' }, { status: 400, code: 'malformed', what: 'duplicate key' });
    await refused(c, r.method, p, { body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), type: 'application/json' }, { status: 400, code: 'malformed', what: 'invalid UTF-8' });
    await refused(c, r.method, p, { body: '{"name":"a\\u0000b"}', type: 'application/json' }, { what: 'NUL' });
    await refused(c, r.method, p, { body: '['.repeat(100000) + ']'.repeat(100000), type: 'application/json' }, { what: 'deep nesting' });
  }
});

test('unknown fields are refused with the field named; nothing changes', async () => {
  for (const r of routes()) {
    await refused(client(r), r.method, resolve(r.path), { json: { ...bodyOf(r), bogus: 1 } }, { status: 422, code: 'invalid', field: 'bogus' });
    await refused(client(r), r.method, resolve(r.path), { json: { ...bodyOf(r), ['Name']: 'x' } }, { status: 422, code: 'invalid', field: 'Name' });
  }
});

test('wrong types are refused with the field named; nothing changes', async () => {
  for (const r of routes()) {
    for (const [field, v] of Object.entries(r.wrongTypes || {})) {
      await refused(client(r), r.method, resolve(r.path), { json: { ...bodyOf(r), [field]: v } }, { status: 422, code: 'invalid', field, what: `${field}=${JSON.stringify(v)}` });
    }
  }
});

test('out-of-range numbers and unknown names are refused; nothing changes', async () => {
  for (const r of routes()) {
    for (const [field, list] of Object.entries({ ...(r.ranges || {}), ...(r.values || {}) })) {
      for (const v of list)
        await refused(client(r), r.method, resolve(r.path), { json: { ...bodyOf(r), [field]: v } }, { status: 422, field, what: `${field}=${JSON.stringify(v)}` });
    }
  }
});

test('invalid dates are refused with the field named; nothing changes', async () => {
  const bad = ['2025-02-29', '2023-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-6-1', '2025/06/01', '20250601',
    '2025-06-01T00:00:00Z', ' 2025-06-01', '', '0000-01-01', '2025-06-01x', '２０２５-06-01'];
  for (const r of routes()) {
    for (const field of r.dates || []) {
      // "" may be taken as "not given" (then a precondition names what is
      // missing): 422 either way
      for (const d of bad)
        await refused(client(r), r.method, resolve(r.path), { json: { ...bodyOf(r), [field]: d } }, { status: 422, field: d === '' ? undefined : field, what: `${field}=${d}` });
      await refused(client(r), r.method, resolve(r.path), { json: { ...bodyOf(r), [field]: 20250601 } }, { status: 422, field, what: `${field} a number` });
    }
  }
});

test('a JSON body over 1 MiB is 413 too_large; nothing changes', async () => {
  for (const r of routes()) {
    const big = { ...bodyOf(r), [Object.keys(r.body)[0]]: 'a'.repeat(1024 * 1024 + 10) };
    await refused(client(r), r.method, resolve(r.path), { json: big }, { status: 413, code: 'too_large' });
  }
});

test('uploads: wrong type, empty, over 20 MiB, missing kind or name are refused; nothing changes', async () => {
  const c = as.quancheng;
  const base = `/api/v1/applications/${ids.draft}/documents`;
  const q = (kind, name) => `${base}?kind=${encodeURIComponent(kind)}&name=${encodeURIComponent(name)}`;
  const pdf = (n) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(n, 0x20), Buffer.from('\n%%EOF\n')]);
  await refused(c, 'POST', q('service_manual', '手册.pdf'), { body: Buffer.from('MZ\x90\x00 not a document'), type: 'application/pdf' }, { status: 415, what: 'an executable' });
  await refused(c, 'POST', q('service_manual', '手册.pdf'), { body: Buffer.from('<html><body>hi</body></html>'), type: 'application/pdf' }, { status: 415, what: 'HTML' });
  await refused(c, 'POST', q('service_manual', '手册.pdf'), { body: Buffer.alloc(0), type: 'application/pdf' }, { what: 'empty' });
  await refused(c, 'POST', q('service_manual', '手册.pdf'), { body: pdf(20 * 1024 * 1024 + 1), type: 'application/pdf' }, { status: 413, what: 'over 20 MiB' });
  await refused(c, 'POST', `${base}?name=a.pdf`, { body: pdf(100), type: 'application/pdf' }, { status: 422, what: 'no kind' });
  await refused(c, 'POST', q('no_such_kind', 'a.pdf'), { body: pdf(100), type: 'application/pdf' }, { status: 422, what: 'unknown kind' });
  await refused(c, 'POST', `${base}?kind=service_manual`, { body: pdf(100), type: 'application/pdf' }, { status: 422, what: 'no name' });
  await refused(c, 'POST', q('service_manual', '../../etc/passwd'), { body: pdf(100), type: 'application/pdf' }, { status: 422, what: 'a path as name' });
});

test('bad path parameters are 404 or 422, never 5xx; nothing changes', async () => {
  const c = as['wang.lei'];
  for (const id of ['0', '-1', 'abc', '1e3', '99999999999999999999', '%20', '1.0', '0x10', '١']) {
    const res = await refused(c, 'POST', `/api/v1/applications/${id}/accept`, { json: {} }, { what: id });
    assert.ok([404, 422].includes(res.status), `${id}: ${res.status}`);
  }
  for (const n of ['NOPE', 'ASC-2099-999999', 'x'.repeat(300)]) {
    const res = await refused(as['zheng.guoping'], 'POST', `/api/v1/certificates/${n}/suspend`, { json: { reason_code: 'serious_nonconformity', reason: 'x' } }, { what: n });
    assert.ok([404, 422].includes(res.status), `${n}: ${res.status}`);
  }
});

test('log-in with bad input is refused without a session', async () => {
  const c = srv.anon();
  for (const body of [{ login: 5, password: 'x' }, { login: 'wang.lei' }, { password: 'x' }, { login: 'wang.lei', password: 'x', extra: 1 }]) {
    const res = await c.post('/api/v1/session', body);
    assert.equal(res.status, 422, JSON.stringify(body) + ' ' + res.text);
    assert.equal(res.headers.get('set-cookie'), null);
  }
  const res = await c.request('POST', '/api/v1/session', { body: '{"login":', type: 'application/json' });
  assert.equal(res.status, 400);
});
