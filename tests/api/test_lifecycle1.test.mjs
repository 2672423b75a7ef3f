// test_lifecycle1: the first half of the certification journey over HTTP
// (domain.md sections 1 and 1.1): market registers organisations, the
// admin creates enterprise users, an enterprise applies, uploads real
// (tiny) PDF and PNG files, adds a service manager, submits; market
// accepts and signs the contract; the review department asks for a
// revision, the enterprise corrects the finding and uploads a revised
// manual, the reviewer verifies and approves (documents_approved). Then the
// downloads: the detected Content-Type, the bytes, the RFC 6266/5987 file
// name. Every refusal (malformed JSON, unknown fields, wrong types, wrong
// states, missing preconditions, oversize and unsupported uploads, another
// organisation's data) is answered with the error body and leaves the
// database exactly as it was (sha256 of its dump).
// Not for: audits, decisions, certificates (test_lifecycle2), log-in and
// sessions (the auth tests), the full role matrix (test_matrix).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';

import { TODAY, errorOf, startServer } from './lib.mjs';

// ---- fixtures built by hand ---------------------------------------------

// 统一社会信用代码 with its GB 32100 check character (worked by the
// standard's weights; 91110000802100433B is the example of tests/cli).
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function uscc(body17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += USCC_CHARS.indexOf(body17[i]) * USCC_WEIGHTS[i];
  return body17 + USCC_CHARS[(31 - (s % 31)) % 31];
}
const USCC_A = '91110000802100433B';
const USCC_B = uscc('91310000123456789');
const USCC_C = uscc('91440300765432109');

// A one-page PDF (as tests/unit/test_filetype.c lays it out).
function pdf(tag = '') {
  return Buffer.from(
    '%PDF-1.4\n' +
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >> endobj\n' +
      `% ${tag}\n` +
      'trailer << /Root 1 0 R >>\n' +
      '%%EOF\n',
    'latin1',
  );
}

// CRC-32 (ISO 3309) for the PNG chunks.
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
// A 1x1 8-bit greyscale PNG: IHDR, IDAT (zlib stored block: filter 0,
// pixel 0xFF, Adler-32), IEND.
function png() {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  const raw = [0x00, 0xff];
  let a = 1;
  let s = 0;
  for (const b of raw) {
    a = (a + b) % 65521;
    s = (s + a) % 65521;
  }
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((s << 16) | a) >>> 0);
  const idat = Buffer.concat([Buffer.from([0x78, 0x01, 0x01, 0x02, 0x00, 0xfd, 0xff, ...raw]), adler]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

// Every kind required before submit (docs/decisions.md: all but
// legal_licences and other_certificates).
const REQUIRED = [
  'application_form', 'business_licence', 'product_description', 'laws_and_standards',
  'company_profile', 'organisation_chart', 'sales_and_service_policy', 'outlet_list',
  'delivery_mode', 'system_document_list', 'service_manual',
];
const MANUAL_NAME = '售后服务手册.pdf';
// "售后服务手册" is 6 characters of 3 UTF-8 bytes each.
const MANUAL_ENCODED = '%E5%94%AE%E5%90%8E%E6%9C%8D%E5%8A%A1%E6%89%8B%E5%86%8C.pdf';
const CHART_NAME = 'org chart "v1".png';

// ---- the server and its people ------------------------------------------

let srv;
let admin;
let market;
let rev;
let entA;
let entB;
const ids = {};
// Tables that reads may touch (session bookkeeping), left out of the dump.
const BOOKKEEPING = ['sessions', 'login_attempts', 'api_tokens'];
const dump = () => srv.dbDump({ exclude: BOOKKEEPING });

// Sends `req` (an async function) expecting the error `status`/`code`
// (and `field` when given), and proves the database did not change.
async function refused(req, status, code, field, what) {
  const before = dump();
  const res = await req();
  assert.equal(res.status, status, `${what}: status (body ${res.text.slice(0, 300)})`);
  const e = errorOf(res);
  assert.equal(e.code, code, `${what}: code (${e.message})`);
  if (field !== undefined) assert.equal(e.field, field, `${what}: field (${e.message})`);
  assert.equal(dump(), before, `${what}: the database is unchanged`);
  return e;
}

function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: ${res.text.slice(0, 400)}`);
  return res.json;
}

const upload = (client, app, kind, name, bytes, type = 'application/octet-stream') =>
  client.post(
    `/api/v1/applications/${app}/documents?kind=${encodeURIComponent(kind)}&name=${encodeURIComponent(name)}`,
    undefined,
    { body: bytes, type },
  );

before(async () => {
  srv = await startServer({
    users: [
      { login: 'admin', role: 'admin' },
      { login: 'market', role: 'market' },
      { login: 'rev', role: 'review' },
      { login: 'aud', role: 'auditor' },
    ],
  });
  admin = await srv.login('admin');
  market = await srv.login('market');
  rev = await srv.login('rev');
});

after(async () => {
  if (srv) await srv.stop();
});

// ---- organisations --------------------------------------------------------

test('market registers organisations; bad input is refused and changes nothing', async () => {
  let res = await market.post('/api/v1/organisations', {
    uscc: USCC_A, name: '青岛海尔售后服务有限公司', name_en: 'Haier Service', address: '青岛市崂山区', employees: 50,
  });
  const a = ok(res, 201, 'create A');
  assert.equal(a.uscc, USCC_A);
  assert.equal(a.name, '青岛海尔售后服务有限公司');
  assert.equal(a.employees, 50);
  assert.deepEqual(a.outlets, []);
  ids.orgA = a.id;
  res = await market.post('/api/v1/organisations', {
    uscc: USCC_B, name: '上海某某电器服务有限公司', address: '上海市浦东新区', employees: 12,
  });
  ids.orgB = ok(res, 201, 'create B').id;

  // the same JSON as the CLI
  const cli = srv.must(['org', 'show', String(ids.orgA), '--as', 'market']);
  res = await market.get(`/api/v1/organisations/${ids.orgA}`);
  assert.deepEqual(ok(res, 200, 'get A'), cli);
  res = await market.get(`/api/v1/organisations/${USCC_B}`);
  assert.equal(ok(res, 200, 'get B by USCC').id, ids.orgB);

  // paging
  res = await market.get('/api/v1/organisations?limit=1');
  let list = ok(res, 200, 'list page 1');
  assert.equal(list.length, 1);
  assert.equal(list[0].id, ids.orgA);
  assert.equal(list[0].outlet_count, 0);
  res = await market.get(`/api/v1/organisations?after=${ids.orgA}&limit=1`);
  list = ok(res, 200, 'list page 2');
  assert.deepEqual(list.map((o) => o.id), [ids.orgB]);

  const post = (body) => () => market.post('/api/v1/organisations', body);
  const good = { uscc: USCC_C, name: '深圳服务', address: '深圳市', employees: 3 };
  await refused(() => market.post('/api/v1/organisations', undefined, { body: '{"uscc": ', type: 'application/json' }),
    400, 'malformed', null, 'malformed JSON');
  await refused(() => market.post('/api/v1/organisations', undefined, { body: '{"uscc":"a","uscc":"b"}', type: 'application/json' }),
    400, 'malformed', null, 'duplicate keys');
  await refused(() => market.post('/api/v1/organisations', undefined, { body: JSON.stringify(good), type: 'text/plain' }),
    415, 'unsupported_media_type', 'Content-Type', 'not JSON');
  await refused(() => market.post('/api/v1/organisations', undefined, { body: '[1,2]', type: 'application/json' }),
    422, 'invalid', 'body', 'an array body');
  await refused(post({ ...good, colour: 'red' }), 422, 'invalid', 'colour', 'unknown field');
  await refused(post({ ...good, employees: '3' }), 422, 'invalid', 'employees', 'employees as a string');
  await refused(post({ ...good, employees: 0 }), 422, 'invalid', 'employees', 'no employees');
  await refused(post({ ...good, employees: 10000001 }), 422, 'invalid', 'employees', 'employees above the cap');
  await refused(post({ ...good, employees: 2.5 }), 422, 'invalid', 'employees', 'a fraction of an employee');
  await refused(post({ ...good, name: 7 }), 422, 'invalid', 'name', 'name as a number');
  await refused(post({ uscc: USCC_C, address: 'x', employees: 1 }), 422, 'invalid', 'name', 'name missing');
  await refused(post({ ...good, uscc: '91110000802100433A' }), 422, 'invalid', 'uscc', 'wrong check character');
  await refused(post({ ...good, uscc: USCC_A }), 409, 'conflict', 'uscc', 'USCC already registered');
  await refused(() => rev.post('/api/v1/organisations', good), 403, 'forbidden', undefined, 'review may not register');

  res = await market.get('/api/v1/organisations/999999');
  assert.equal(res.status, 404, 'market: unknown organisation');
  res = await market.get('/api/v1/organisations?limit=0');
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'limit');
  res = await market.get('/api/v1/organisations?after=-1');
  assert.equal(errorOf(res).field, 'after');
});

// ---- users ----------------------------------------------------------------

test('the admin creates enterprise users bound to their organisation', async () => {
  let res = await admin.post('/api/v1/users', {
    login: 'enta', name: '王经理', role: 'enterprise', organisation: USCC_A,
  });
  const u = ok(res, 201, 'create enta');
  assert.equal(u.login, 'enta');
  assert.equal(u.role, 'enterprise');
  assert.equal(u.organisation, ids.orgA);
  assert.equal(u.active, true);
  assert.deepEqual(u.qualifications, []);
  ids.entA = u.id;
  res = await admin.post('/api/v1/users', {
    login: 'entb', name: '李经理', role: 'enterprise', organisation: ids.orgB,
  });
  ids.entB = ok(res, 201, 'create entb').id;
  srv.setPassword('enta');
  srv.setPassword('entb');
  entA = await srv.login('enta');
  entB = await srv.login('entb');

  const cli = srv.must(['user', 'show', 'enta', '--as', 'admin']);
  res = await admin.get('/api/v1/users/enta');
  assert.deepEqual(ok(res, 200, 'admin reads enta by login'), cli);
  res = await admin.get(`/api/v1/users/${ids.entA}`);
  assert.deepEqual(ok(res, 200, 'admin reads enta by id'), cli);
  res = await entA.get('/api/v1/users/enta');
  assert.equal(ok(res, 200, 'enta reads themself').login, 'enta');
  res = await admin.get('/api/v1/users?role=enterprise');
  assert.deepEqual(ok(res, 200, 'enterprise users').map((x) => x.login), ['enta', 'entb']);
  res = await admin.get('/api/v1/users?role=chief');
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'role');
  res = await admin.get('/api/v1/users?limit=1001');
  assert.equal(errorOf(res).field, 'limit');
  res = await entA.get('/api/v1/users');
  assert.deepEqual(ok(res, 200, 'enta lists users').map((x) => x.login), ['enta']);

  // another user, and one who does not exist, look the same to enta
  res = await entA.get('/api/v1/users/market');
  assert.equal(res.status, 403, 'enta may not read market');
  res = await entA.get('/api/v1/users/nosuchuser');
  assert.equal(res.status, 403, 'enta cannot probe logins');
  res = await entA.get('/api/v1/users/999999');
  assert.equal(res.status, 403, 'enta cannot probe ids');
  res = await admin.get('/api/v1/users/nosuchuser');
  assert.equal(res.status, 404, 'admin: no such user');

  const post = (body) => () => admin.post('/api/v1/users', body);
  await refused(post({ login: 'x1', name: 'X', role: 'chief' }), 422, 'invalid', 'role', 'unknown role');
  await refused(post({ login: 'x1', name: 'X', role: 'enterprise' }), 422, 'invalid', 'organisation',
    'enterprise user without organisation');
  await refused(post({ login: 'x1', name: 'X', role: 'market', organisation: ids.orgA }), 422, 'invalid',
    'organisation', 'staff with an organisation');
  await refused(post({ login: 'x1', name: 'X', role: 'enterprise', organisation: 999999 }), 404, 'not_found',
    'organisation', 'no such organisation');
  await refused(post({ login: 'x1', name: 'X', role: 'enterprise', organisation: [1] }), 422, 'invalid',
    'organisation', 'organisation as an array');
  await refused(post({ login: 'Bad Login', name: 'X', role: 'market' }), 422, 'invalid', 'login', 'bad login');
  await refused(post({ login: 'enta', name: 'X', role: 'market' }), 409, 'conflict', 'login', 'login taken');
  await refused(post({ login: 'x1', name: 'X', role: 'market', password: 'p' }), 422, 'invalid', 'password',
    'unknown field');
  await refused(() => market.post('/api/v1/users', { login: 'x1', name: 'X', role: 'market' }), 403, 'forbidden',
    undefined, 'market may not create users');
});

test('qualifications and impartiality links of staff', async () => {
  let res = await admin.post('/api/v1/users/aud/qualifications', {
    kind: 'lead_auditor', number: 'L-1', valid_from: '2025-01-01', valid_to: '2027-12-31',
  });
  const q = ok(res, 201, 'qualification');
  assert.equal(q.login, 'aud');
  assert.equal(q.kind, 'lead_auditor');
  assert.equal(q.valid_to, '2027-12-31');
  res = await admin.get('/api/v1/users/aud/qualifications');
  assert.deepEqual(ok(res, 200, 'list'), srv.must(['qualification', 'list', '--user', 'aud', '--as', 'admin']));

  const qpost = (body) => () => admin.post('/api/v1/users/aud/qualifications', body);
  const qgood = { kind: 'auditor', number: 'A-9', valid_from: '2025-01-01', valid_to: '2025-12-31' };
  await refused(qpost({ ...qgood, valid_to: '2025-02-30' }), 422, 'invalid', 'valid_to', 'a day that does not exist');
  await refused(qpost({ ...qgood, valid_to: '2024-12-31' }), 422, 'invalid', 'valid_to', 'ends before it starts');
  await refused(qpost({ ...qgood, kind: 'expert' }), 422, 'invalid', 'kind', 'unknown kind');
  await refused(qpost({ ...qgood, valid_from: 20250101 }), 422, 'invalid', 'valid_from', 'date as a number');
  await refused(() => admin.post('/api/v1/users/rev/qualifications', qgood), 422, 'invalid', 'user',
    'only auditors hold qualifications');
  await refused(() => admin.post('/api/v1/users/nosuch/qualifications', qgood), 404, 'not_found', 'user',
    'no such user');
  await refused(() => market.post('/api/v1/users/aud/qualifications', qgood), 403, 'forbidden', undefined,
    'market may not');

  // rev declares an ongoing link with organisation B (not A: rev reviews A)
  res = await rev.post('/api/v1/users/rev/links', {
    organisation: USCC_B, kind: 'consulted', from: '2024-01-01', ongoing: true,
  });
  const l = ok(res, 201, 'link');
  assert.equal(l.organisation, ids.orgB);
  assert.equal(l.ongoing, true);
  assert.equal(l.to, null);
  res = await rev.get('/api/v1/users/rev/links');
  assert.deepEqual(ok(res, 200, 'links'), srv.must(['link', 'list', '--user', 'rev', '--as', 'rev']));
  res = await rev.get(`/api/v1/users/rev/links?organisation=${USCC_A}`);
  assert.deepEqual(ok(res, 200, 'links with A'), []);
  res = await rev.get(`/api/v1/users/rev/links?organisation=${ids.orgB}`);
  assert.deepEqual(ok(res, 200, 'links with B').map((x) => x.id), [l.id]);

  const lpost = (body) => () => rev.post('/api/v1/users/rev/links', body);
  const lgood = { organisation: ids.orgB, kind: 'employed', from: '2020-01-01', to: '2020-12-31' };
  await refused(lpost({ ...lgood, ongoing: true }), 422, 'invalid', 'to', 'both an end and ongoing');
  await refused(lpost({ organisation: ids.orgB, kind: 'employed', from: '2020-01-01' }), 422, 'invalid', 'to',
    'neither an end nor ongoing');
  await refused(lpost({ ...lgood, to: '2019-12-31' }), 422, 'invalid', 'to', 'ends before it starts');
  await refused(lpost({ ...lgood, kind: 'friend' }), 422, 'invalid', 'kind', 'unknown kind');
  await refused(lpost({ ...lgood, ongoing: 'yes' }), 422, 'invalid', 'ongoing', 'ongoing as a string');
  await refused(lpost({ ...lgood, organisation: 999999 }), 404, 'not_found', 'organisation', 'no such organisation');
  await refused(() => rev.post('/api/v1/users/market/links', lgood), 403, 'forbidden', undefined,
    'staff declare only their own links');
  await refused(() => rev.post('/api/v1/users/nosuch/links', lgood), 403, 'forbidden', undefined,
    'and cannot probe logins');
  await refused(() => entA.post('/api/v1/users/enta/links', lgood), 403, 'forbidden', undefined,
    'enterprise users declare no links');
});

// ---- outlets ----------------------------------------------------------------

test('an enterprise adds outlets to its own organisation only', async () => {
  let res = await entA.post(`/api/v1/organisations/${ids.orgA}/outlets`, { name: '崂山服务网点', address: '青岛市崂山区1号' });
  const o = ok(res, 201, 'outlet');
  assert.equal(o.organisation, ids.orgA);
  assert.equal(o.name, '崂山服务网点');
  res = await entA.get(`/api/v1/organisations/${USCC_A}/outlets`);
  assert.deepEqual(ok(res, 200, 'outlets'), [o]);
  await refused(() => entA.post(`/api/v1/organisations/${ids.orgA}/outlets`, { name: '崂山服务网点', address: 'x' }),
    409, 'conflict', 'name', 'an outlet of that name exists');
  await refused(() => entA.post(`/api/v1/organisations/${ids.orgA}/outlets`, { name: 'N' }),
    422, 'invalid', 'address', 'address missing');
  await refused(() => entA.post(`/api/v1/organisations/${ids.orgB}/outlets`, { name: 'N', address: 'x' }),
    403, 'forbidden', undefined, "another organisation's outlets");
  await refused(() => entA.post('/api/v1/organisations/999999/outlets', { name: 'N', address: 'x' }),
    403, 'forbidden', undefined, 'an organisation that does not exist looks the same');
  for (const p of [`/api/v1/organisations/${ids.orgB}`, `/api/v1/organisations/${USCC_B}/outlets`,
    '/api/v1/organisations/999999', `/api/v1/organisations/${USCC_C}`]) {
    res = await entA.get(p);
    assert.equal(res.status, 403, `enta: ${p}`);
    assert.equal(errorOf(res).code, 'forbidden');
  }
  res = await entA.get('/api/v1/organisations');
  assert.deepEqual(ok(res, 200, 'enta lists organisations').map((x) => x.id), [ids.orgA]);
});

// ---- the application --------------------------------------------------------

test('an enterprise applies: refusals first, then the draft', async () => {
  const post = (body) => () => entA.post('/api/v1/applications', body);
  const scope = '家用电器的配送、安装、维修及投诉处理';
  await refused(post({ scope, kind: 'initial', colour: 1 }), 422, 'invalid', 'colour', 'unknown field');
  await refused(post({ kind: 'initial' }), 422, 'invalid', 'scope', 'scope missing');
  await refused(post({ scope: ['a'] }), 422, 'invalid', 'scope', 'scope as an array');
  await refused(post({ scope, kind: 'renewal' }), 422, 'invalid', 'kind', 'unknown kind');
  await refused(post({ scope, delivery_mode: 'teleport' }), 422, 'invalid', 'delivery_mode', 'unknown mode');
  await refused(post({ scope, organisation: ids.orgB }), 403, 'forbidden', undefined, "another organisation's");
  await refused(post({ scope, organisation: 999999 }), 403, 'forbidden', undefined, 'no probing');
  await refused(() => market.post('/api/v1/applications', { scope }), 422, 'invalid', 'organisation',
    'market names no organisation');
  await refused(() => rev.post('/api/v1/applications', { scope, organisation: ids.orgA }), 403, 'forbidden',
    undefined, 'review may not apply');

  let res = await entA.post('/api/v1/applications', { scope, delivery_mode: 'direct' });
  const app = ok(res, 201, 'create');
  assert.equal(app.state, 'draft');
  assert.equal(app.kind, 'initial');
  assert.equal(app.organisation.id, ids.orgA);
  assert.equal(app.organisation.uscc, USCC_A);
  assert.equal(app.created_on, TODAY);
  assert.equal(app.submitted_on, null);
  assert.deepEqual([...app.materials.missing].sort(), [...REQUIRED].sort());
  ids.app = app.id;
  res = await entB.post('/api/v1/applications', { scope: '空调维修' });
  ids.appB = ok(res, 201, 'entb applies').id;

  await refused(post({ scope }), 409, 'conflict', 'organisation', 'one application in progress');

  // submit before the materials: the named precondition
  await refused(() => entA.post(`/api/v1/applications/${ids.app}/submit`), 422, 'precondition_failed', undefined,
    'no materials yet');
  // accept by the enterprise: a draft cannot be accepted (state first)
  await refused(() => market.post(`/api/v1/applications/${ids.app}/accept`), 409, 'state_conflict', undefined,
    'accept a draft');
  await refused(() => entA.post(`/api/v1/applications/${ids.app}/submit`, { reason: 'x' }), 422, 'invalid',
    'reason', 'submit takes no reason');
  await refused(() => entA.post(`/api/v1/applications/${ids.app}/withdraw`, { reason: 5 }), 422, 'invalid',
    'reason', 'reason as a number');
  await refused(() => entA.post(`/api/v1/applications/${ids.app}/withdraw`, {}), 422, 'precondition_failed',
    'reason_given', 'withdraw without a reason');
  await refused(() => entA.post('/api/v1/applications/999999/submit'), 404, 'not_found', 'application',
    'no such application');
  await refused(() => entA.post('/api/v1/applications/abc/submit'), 404, 'not_found', 'application',
    'not an id');

  res = await entA.get('/api/v1/applications');
  assert.deepEqual(ok(res, 200, 'enta lists').map((x) => x.id), [ids.app]);
  res = await market.get('/api/v1/applications?state=draft');
  assert.deepEqual(ok(res, 200, 'market lists drafts').map((x) => x.id), [ids.app, ids.appB]);
  res = await market.get(`/api/v1/applications?organisation=${USCC_B}`);
  assert.deepEqual(ok(res, 200, 'market lists B').map((x) => x.id), [ids.appB]);
  res = await market.get('/api/v1/applications?state=pending');
  assert.equal(errorOf(res).field, 'state');
  res = await entA.get(`/api/v1/applications?organisation=${ids.orgB}`);
  assert.equal(res.status, 403, "enta asks for B's applications");
});

test('uploads: real PDF and PNG files, SHA-256, refusals by size, type, kind and owner', async () => {
  ids.docs = {};
  for (const kind of REQUIRED) {
    let bytes;
    let name;
    let type = 'application/octet-stream';
    if (kind === 'organisation_chart') {
      bytes = png();
      name = CHART_NAME;
      type = 'image/png';
    } else if (kind === 'service_manual') {
      bytes = pdf('manual v1');
      name = MANUAL_NAME;
      type = 'application/pdf';
    } else {
      bytes = pdf(kind);
      name = `${kind}.pdf`;
    }
    const res = await upload(entA, ids.app, kind, name, bytes, type);
    const d = ok(res, 201, `upload ${kind}`);
    assert.equal(d.kind, kind);
    assert.equal(d.name, name);
    assert.equal(d.size, bytes.length);
    assert.equal(d.sha256, sha256(bytes));
    assert.equal(d.media_type, kind === 'organisation_chart' ? 'image/png' : 'application/pdf');
    assert.equal(d.application, ids.app);
    assert.equal(d.current, true);
    assert.equal(res.headers.get('location'), `/api/v1/documents/${d.id}`);
    ids.docs[kind] = { id: d.id, bytes, name };
  }

  // a PNG sent as "application/pdf" is still a PNG: the bytes decide
  let res = await upload(entA, ids.app, 'other_certificates', 'cert.pdf', png(), 'application/pdf');
  assert.equal(ok(res, 201, 'png named .pdf').media_type, 'image/png');

  const up = (...a) => () => upload(...a);
  await refused(up(entA, ids.app, 'service_manual', 'notes.txt', Buffer.from('just text\n')),
    415, 'unsupported_media_type', 'file', 'text is no accepted type');
  await refused(up(entA, ids.app, 'service_manual', 'trunc.pdf', Buffer.from('%PDF-1.4\n1 0 obj')),
    415, 'unsupported_media_type', 'file', 'a truncated PDF');
  await refused(up(entA, ids.app, 'service_manual', 'empty.pdf', Buffer.alloc(0)),
    415, 'unsupported_media_type', 'file', 'an empty file');
  const big = Buffer.concat([pdf('big'), Buffer.alloc(20 * 1024 * 1024 + 1 - pdf('big').length - 6, 0x20), Buffer.from('%%EOF\n')]);
  assert.equal(big.length, 20 * 1024 * 1024 + 1);
  await refused(up(entA, ids.app, 'service_manual', 'big.pdf', big), 413, 'too_large', 'file',
    'one byte over the 20 MiB cap');
  // beyond the server's body cap (21 MiB) the server answers before reading
  await refused(up(entA, ids.app, 'service_manual', 'huge.pdf', Buffer.alloc(22 * 1024 * 1024, 0x20)), 413,
    'too_large', 'body', "over the server's body cap");
  await refused(up(entA, ids.app, 'manual', 'm.pdf', pdf()), 422, 'invalid', 'kind', 'unknown kind');
  await refused(() => entA.post(`/api/v1/applications/${ids.app}/documents?name=m.pdf`, undefined, { body: pdf(), type: 'application/pdf' }),
    422, 'invalid', 'kind', 'no kind');
  await refused(() => entA.post(`/api/v1/applications/${ids.app}/documents?kind=service_manual`, undefined, { body: pdf(), type: 'application/pdf' }),
    422, 'invalid', 'name', 'no name');
  await refused(up(entA, ids.app, 'service_manual', 'a/b.pdf', pdf()), 422, 'invalid', 'name', 'a slash in the name');
  await refused(up(entA, ids.app, 'service_manual', 'x'.repeat(256), pdf()), 422, 'invalid', 'name', 'a long name');
  await refused(up(entB, ids.app, 'service_manual', 'm.pdf', pdf()), 403, 'forbidden', undefined,
    "into another organisation's application");
  await refused(up(rev, ids.app, 'service_manual', 'm.pdf', pdf()), 403, 'forbidden', undefined, 'review uploads nothing');
  await refused(up(entA, 999999, 'service_manual', 'm.pdf', pdf()), 404, 'not_found', 'application', 'no such application');

  res = await entA.get(`/api/v1/applications/${ids.app}/documents`);
  const list = ok(res, 200, 'list');
  assert.equal(list.length, REQUIRED.length + 1);
  assert.deepEqual(list, srv.must(['document', 'list', '--application', String(ids.app), '--as', 'market']));
  res = await entA.get(`/api/v1/documents/${ids.docs.service_manual.id}`);
  assert.equal(ok(res, 200, 'metadata').sha256, sha256(ids.docs.service_manual.bytes));
});

test('managers, preparation, submit, accept, contract', async () => {
  const base = `/api/v1/applications/${ids.app}`;
  await refused(() => entA.post(`${base}/submit`), 422, 'precondition_failed', 'preparation_done',
    'no trained service manager yet');
  let res = await entA.post(`${base}/managers`, { name: '张三', certificate_no: 'M-001' });
  let app = ok(res, 201, 'manager');
  assert.deepEqual(app.managers.map((m) => [m.name, m.certificate_no]), [['张三', 'M-001']]);
  await refused(() => entA.post(`${base}/managers`, { name: '李四', certificate_no: 'M-001' }),
    409, 'conflict', 'certificate_no', 'the same training certificate twice');
  await refused(() => entA.post(`${base}/managers`, { name: '李四' }), 422, 'invalid', 'certificate_no',
    'no certificate number');
  await refused(() => entB.post(`${base}/managers`, { name: '李四', certificate_no: 'M-002' }),
    403, 'forbidden', undefined, "another organisation's managers");

  res = await entA.put(`${base}/preparation/5`, { done: true, evidence: '审核安排已确认：三楼会议室' });
  app = ok(res, 200, 'preparation 5');
  const item5 = app.preparation.find((p) => p.item === 5);
  assert.equal(item5.declared, true);
  assert.equal(item5.evidence, '审核安排已确认：三楼会议室');
  await refused(() => entA.put(`${base}/preparation/6`, { evidence: 'x' }), 422, 'invalid', 'item', 'no item 6');
  await refused(() => entA.put(`${base}/preparation/x`, { evidence: 'x' }), 404, 'not_found', 'item', 'not an item');
  await refused(() => entA.put(`${base}/preparation/5`, { done: 'yes' }), 422, 'invalid', 'done', 'done as a string');
  await refused(() => entA.put(`${base}/preparation/5`, { done: true }), 422, 'invalid', 'evidence',
    'done needs evidence');
  await refused(() => entA.post(`${base}/preparation/5`, { done: true }), 405, 'method_not_allowed', 'method',
    'POST on the preparation item');

  res = await entA.post(`${base}/submit`);
  app = ok(res, 200, 'submit');
  assert.equal(app.state, 'submitted');
  assert.equal(app.submitted_on, TODAY);
  await refused(() => entA.post(`${base}/submit`), 409, 'state_conflict', undefined, 'submit twice');
  await refused(() => entA.post(`${base}/accept`), 403, 'forbidden', undefined, 'the enterprise cannot accept');
  await refused(up2(entA, 'service_manual', 'late.pdf', pdf('late')), 409, 'state_conflict', 'application',
    'no uploads while submitted');

  res = await market.post(`${base}/accept`, {});
  assert.equal(ok(res, 200, 'accept').state, 'accepted');

  const sign = (body) => () => market.post(`${base}/contract`, body);
  await refused(sign({ number: 'C-1', fee_cents: 3000000 }), 422, 'precondition_failed', 'contract_fields',
    'no preliminary audit date');
  await refused(sign({ number: 'C-1', fee_cents: '3000000', preliminary_audit: TODAY }), 422, 'invalid',
    'fee_cents', 'fee as a string');
  await refused(sign({ number: 'C-1', fee_cents: -1, preliminary_audit: TODAY }), 422, 'invalid', 'fee_cents',
    'a negative fee');
  await refused(sign({ number: 'C-1', fee_cents: 3000000, preliminary_audit: '2025-06-29' }), 422, 'invalid',
    'preliminary_audit', 'an audit before today');
  await refused(sign({ number: 'C-1', fee_cents: 3000000, preliminary_audit: '2025-13-01' }), 422, 'invalid',
    'preliminary_audit', 'month 13');
  await refused(sign({ number: 'C-1', fee: 1 }), 422, 'invalid', 'fee', 'unknown field');
  await refused(() => entA.post(`${base}/contract`, { number: 'C-1', fee_cents: 1, preliminary_audit: TODAY }),
    403, 'forbidden', undefined, 'the enterprise signs no contract here');
  res = await market.post(`${base}/contract`, { number: 'C-2025-001', fee_cents: 3000000, preliminary_audit: '2025-07-15' });
  app = ok(res, 200, 'contract');
  assert.equal(app.state, 'contracted');
  assert.equal(app.contract.number, 'C-2025-001');
  assert.equal(app.contract.fee_cents, 3000000);
  assert.equal(app.contract.preliminary_audit, '2025-07-15');
});

// upload helper returning a thunk for `refused`
function up2(client, kind, name, bytes) {
  return () => upload(client, ids.app, kind, name, bytes);
}

test('document review: revise, correct, verify, approve after a revised manual', async () => {
  const base = `/api/v1/applications/${ids.app}`;
  const revise = (body) => () => rev.post(`${base}/reviews/revise`, body);
  await refused(revise({}), 422, 'precondition_failed', 'findings_recorded', 'a revise without findings');
  await refused(revise({ findings: 'fix it' }), 422, 'invalid', 'findings', 'findings as a string');
  await refused(revise({ findings: [{ text: 'a' }, { severity: 'major' }] }), 422, 'invalid', 'findings[1].text',
    'a finding without text');
  await refused(revise({ findings: [{ text: 'a', severity: 'fatal' }] }), 422, 'invalid', 'findings[0].severity',
    'unknown severity');
  await refused(revise({ findings: [{ text: 'a', colour: 1 }] }), 422, 'invalid', 'findings[0].colour',
    'unknown key in a finding');
  await refused(revise({ findings: [7] }), 422, 'invalid', 'findings[0]', 'a finding that is no object');
  await refused(() => market.post(`${base}/reviews/revise`, { findings: [{ text: 'a' }] }), 403, 'forbidden',
    undefined, 'market does not review');

  let res = await rev.post(`${base}/reviews/revise`, {
    findings: [{ text: '服务手册缺少投诉处理时限', severity: 'minor' }],
    note: '请修订服务手册',
  });
  let app = ok(res, 200, 'revise');
  assert.equal(app.state, 'contracted');
  assert.equal(app.findings.length, 1);
  const finding = app.findings[0];
  assert.equal(finding.state, 'open');
  assert.equal(finding.source, 'document_review');
  ids.finding = finding.id;

  await refused(() => rev.post(`${base}/reviews/approve`), 422, 'precondition_failed', 'no_open_document_findings',
    'approve with an open finding');

  const f = `/api/v1/findings/${ids.finding}`;
  await refused(() => entB.post(`${f}/correct`, { corrective_action: 'x' }), 403, 'forbidden', undefined,
    "another organisation's finding");
  await refused(() => entA.post(`${f}/correct`, {}), 422, 'invalid', 'corrective_action', 'no action');
  await refused(() => rev.post(`${f}/verify`), 409, 'state_conflict', 'finding', 'verify an open finding');
  res = await entA.post(`${f}/correct`, { corrective_action: '已在手册第5章补充48小时处理时限' });
  let fv = ok(res, 200, 'correct');
  assert.equal(fv.state, 'corrected');
  assert.equal(fv.corrective_action, '已在手册第5章补充48小时处理时限');
  assert.deepEqual(fv, srv.must(['finding', 'show', String(ids.finding), '--as', 'rev']));
  await refused(() => rev.post(`${f}/verify`, { accept: 'no' }), 422, 'invalid', 'accept', 'accept as a string');
  await refused(() => rev.post(`${f}/verify`, { accept: false }), 422, 'invalid', 'note', 'a refusal needs a note');
  await refused(() => entA.post(`${f}/verify`, {}), 403, 'forbidden', undefined, 'the enterprise verifies nothing');
  res = await rev.post(`${f}/verify`, { note: '已核实' });
  fv = ok(res, 200, 'verify');
  assert.equal(fv.state, 'verified');
  res = await entA.get(f);
  assert.equal(ok(res, 200, 'enta reads its finding').state, 'verified');
  res = await entB.get(f);
  assert.equal(res.status, 403, "entb reads A's finding");
  res = await rev.get('/api/v1/findings/999999');
  assert.equal(res.status, 404);

  // verified, but the manual the review saw is still the current one
  await refused(() => rev.post(`${base}/reviews/approve`, { note: 'ok' }), 422, 'precondition_failed',
    'revised_manual', 'approve without a revised manual');
  res = await upload(entA, ids.app, 'service_manual', MANUAL_NAME, pdf('manual v2'), 'application/pdf');
  const v2 = ok(res, 201, 'revised manual');
  ids.manual2 = { id: v2.id, bytes: pdf('manual v2') };
  res = await entA.get(`/api/v1/documents/${ids.docs.service_manual.id}`);
  assert.equal(ok(res, 200, 'old manual').current, false, 'the first manual is superseded, kept');

  await refused(() => rev.post(`${base}/reviews/approve`, { verdict: 'ok' }), 422, 'invalid', 'verdict',
    'unknown field');
  res = await rev.post(`${base}/reviews/approve`, { note: '文件审核通过' });
  app = ok(res, 200, 'approve');
  assert.equal(app.state, 'documents_approved');
  assert.deepEqual(app.reviews.map((r) => r.outcome), ['revise', 'approved']);
  // the same JSON as the CLI for the same reader
  res = await rev.get(`${base}`);
  assert.deepEqual(ok(res, 200, 'show'), srv.must(['application', 'show', String(ids.app), '--as', 'rev']));
  await refused(() => rev.post(`${base}/reviews/approve`), 409, 'state_conflict', undefined, 'approve twice');
});

test('downloads: the detected type, the bytes, the UTF-8 file name', async () => {
  let res = await entA.get(`/api/v1/documents/${ids.manual2.id}/content`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('content-disposition'),
    `attachment; filename="______.pdf"; filename*=UTF-8''${MANUAL_ENCODED}`);
  assert.ok(res.bytes.equals(ids.manual2.bytes), 'the bytes uploaded');
  assert.equal(sha256(res.bytes), sha256(ids.manual2.bytes));

  const chart = ids.docs.organisation_chart;
  res = await market.get(`/api/v1/documents/${chart.id}/content`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  // quotes become '_' in the fallback; space and quotes are encoded
  assert.equal(res.headers.get('content-disposition'),
    'attachment; filename="org chart _v1_.png"; filename*=UTF-8\'\'org%20chart%20%22v1%22.png');
  assert.ok(res.bytes.equals(chart.bytes));

  // the old manual is still there, byte for byte
  res = await rev.get(`/api/v1/documents/${ids.docs.service_manual.id}/content`);
  assert.ok(res.bytes.equals(ids.docs.service_manual.bytes));

  for (const p of [`/api/v1/documents/${chart.id}/content`, `/api/v1/documents/${chart.id}`]) {
    res = await entB.get(p);
    assert.equal(res.status, 403, `entb: ${p}`);
    assert.equal(errorOf(res).code, 'forbidden');
  }
  res = await entA.get('/api/v1/documents/999999/content');
  assert.equal(res.status, 404);
  assert.equal(errorOf(res).field, 'document');
  res = await entA.get('/api/v1/documents/0');
  assert.equal(res.status, 404);
});

test("an enterprise user of B can neither read nor change A's application", async () => {
  const base = `/api/v1/applications/${ids.app}`;
  for (const p of [base, `${base}/documents`]) {
    const res = await entB.get(p);
    assert.equal(res.status, 403, `entb GET ${p}`);
    assert.equal(errorOf(res).code, 'forbidden');
  }
  await refused(() => entB.post(`${base}/withdraw`, { reason: '不想要了' }), 403, 'forbidden', undefined,
    "withdraw A's application");
  await refused(() => entB.put(`${base}/preparation/5`, { done: true, evidence: 'x' }), 403, 'forbidden', undefined,
    "A's preparation");
  let res = await entB.get('/api/v1/applications');
  assert.deepEqual(ok(res, 200, 'entb lists').map((x) => x.id), [ids.appB]);

  // and anonymous callers get nothing at all
  for (const p of [base, `/api/v1/documents/${ids.manual2.id}/content`, '/api/v1/organisations']) {
    res = await srv.anon().get(p);
    assert.equal(res.status, 401, `anonymous GET ${p}`);
  }
  await refused(() => srv.anon().post('/api/v1/applications', { scope: 'x' }), 401, 'unauthenticated', undefined,
    'anonymous apply');
});

test('the enterprise of B withdraws its own draft with a reason', async () => {
  const res = await entB.post(`/api/v1/applications/${ids.appB}/withdraw`, { reason: '暂缓认证' });
  const app = ok(res, 200, 'withdraw');
  assert.equal(app.state, 'withdrawn');
  assert.equal(app.state_reason, '暂缓认证');
  assert.equal(app.closed_on, TODAY);
  await refused(() => upload(entB, ids.appB, 'service_manual', 'm.pdf', pdf()), 409, 'state_conflict',
    'application', 'no uploads after withdrawal');
});
