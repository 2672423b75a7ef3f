// test_lifecycle2: the second half of the lifecycle over HTTP, on the demo
// CB (docs/demo.md) at 2025-06-30: an audit from plan to report, the
// committee's votes and decision, the certificate actions (suspend,
// restore after a restore audit, withdraw, cancel, reissue), the due
// list and the event trail (list, paging, verify). Who may see what: an
// auditor not on the team, an enterprise user and other organisations'
// certificates. Every refusal is checked for its status, its error code
// and field, and that the database did not change (dbDump before/after).
// Expected values come from the rulebook and docs/demo.md, not from the
// code: e.g. an all-conform sheet with one sample out of ten
// nonconforming and one bonus is five_star; quorum 2 of the committee.
// Not for: the first half of the lifecycle (test_lifecycle1), sessions
// (test_auth), the full authorisation matrix (test_authz).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { errorOf, startServer } from './lib.mjs';

const TODAY = '2025-06-30';
const INDICATORS = ['5.1.1', '5.1.2', '5.1.3', '5.1.4', '5.1.5', '5.1.6', '5.1.7', '5.2.1',
  '5.2.2', '5.2.3', '5.2.4', '5.2.5', '5.2.6', '5.3.1', '5.3.2'];
// Demo logins (docs/demo.md).
const REVIEW = 'zhang.min';
const LEAD = 'zhao.qiang';
const AUDITOR = 'sun.li';
const OTHER_AUDITOR = 'wu.fang'; // on no audit of this test
const COMMITTEE = ['zheng.guoping', 'feng.jianhua', 'he.wen'];
const MARKET = 'wang.lei';
const ADMIN = 'chen.jing';
// Demo certificates at 2025-06-30.
const HAINA = 'ASC-2023-000001'; // active, 青岛海纳
const HENGRUN = 'ASC-2024-000001'; // suspended by the clock
const RUIDA = 'ASC-2025-000001'; // active
const YUEFENG = 'ASC-2022-000002'; // active
const KEHUI_APP = 17; // 合肥科汇: documents_approved

// Session bookkeeping tables that any authenticated request may touch.
const VOLATILE = ['sessions', 'api_tokens', 'login_attempts', 'rate_limits'];

let srv;
let kehuiAudit; // the initial audit of the first describe
const clients = new Map();

// A logged-in client for a demo user.
async function as(login) {
  if (clients.has(login)) return clients.get(login);
  srv.setPassword(login);
  const c = await srv.login(login);
  clients.set(login, c);
  return c;
}

const dump = () => srv.dbDump({ exclude: VOLATILE });

// Sends a request that must be refused with `status` and error `code`
// (and `field` when given), and the database must not change.
async function refused(send, status, code, field) {
  const before = dump();
  const res = await send();
  assert.equal(res.status, status, `status (${res.text.slice(0, 300)})`);
  const e = errorOf(res);
  assert.equal(e.code, code, `code (${e.message})`);
  if (field !== undefined) assert.equal(e.field, field, `field (${e.message})`);
  assert.equal(dump(), before, 'the database is unchanged');
  return e;
}

function ok(res, status = 200) {
  assert.equal(res.status, status, res.text.slice(0, 500));
  return res.json;
}

const allConform = (except = {}) => ({
  results: INDICATORS.filter((c) => !(c in except)).map((c) => ({ indicator: c, result: 'conform' })),
});

before(async () => {
  // One worker thread: the CLI runs on the same database while the server
  // is up (see the report on sc_store_open's fopen/fclose).
  srv = await startServer({ demo: true, today: TODAY, threads: 1 });
  srv.admin = ADMIN;
  // log everyone in first: setting a password changes the database
  for (const login of [REVIEW, LEAD, AUDITOR, OTHER_AUDITOR, ...COMMITTEE, MARKET, ADMIN,
    'kehui', 'haina', 'hengrun'])
    await as(login);
});

after(async () => {
  if (srv) await srv.stop();
});

describe('without a session', () => {
  test('every route of this file answers 401', async () => {
    const anon = srv.anon();
    const calls = [
      ['GET', '/api/v1/audits'], ['POST', '/api/v1/audits'], ['GET', '/api/v1/audits/1'],
      ['POST', '/api/v1/audits/1/confirm'], ['POST', '/api/v1/audits/1/start'],
      ['PUT', '/api/v1/audits/1/results/5.1.1'], ['POST', '/api/v1/audits/1/results'],
      ['POST', '/api/v1/audits/1/special-items'], ['POST', '/api/v1/audits/1/findings'],
      ['POST', '/api/v1/audits/1/report'], ['POST', '/api/v1/audits/1/votes'],
      ['POST', '/api/v1/audits/1/decision'], ['GET', '/api/v1/audits/1/decision'],
      ['GET', '/api/v1/certificates'], ['GET', `/api/v1/certificates/${HAINA}`],
      ['POST', `/api/v1/certificates/${HAINA}/suspend`], ['POST', `/api/v1/certificates/${HAINA}/restore`],
      ['POST', `/api/v1/certificates/${HAINA}/withdraw`], ['POST', `/api/v1/certificates/${HAINA}/cancel`],
      ['POST', `/api/v1/certificates/${HAINA}/reissue`], ['GET', '/api/v1/due'],
      ['GET', '/api/v1/events'], ['GET', '/api/v1/events/verify'],
    ];
    const before0 = dump();
    for (const [m, p] of calls) {
      const res = await anon.request(m, p, m === 'GET' ? {} : { json: {} });
      assert.equal(res.status, 401, `${m} ${p}`);
      assert.equal(errorOf(res).code, 'unauthenticated', `${m} ${p}`);
    }
    assert.equal(dump(), before0);
  });

  test('a wrong method is 405 with Allow', async () => {
    const res = await srv.anon().request('DELETE', '/api/v1/audits/1');
    assert.equal(res.status, 405);
    assert.match(res.headers.get('allow') || '', /GET/);
  });
});

describe('an initial audit from plan to decision (合肥科汇)', () => {
  let audit;
  let finding;
  let certificate;

  test('review plans it: 201 with the audit as `audit show` prints it', async () => {
    const review = await as(REVIEW);
    const body = {
      application: KEHUI_APP, from: TODAY, to: TODAY,
      team: [{ login: LEAD, lead: true }, { login: AUDITOR }],
    };
    const a = ok(await review.post('/api/v1/audits', body), 201);
    audit = a.id;
    assert.equal(a.application, KEHUI_APP);
    assert.equal(a.state, 'planned');
    assert.equal(a.kind, 'initial');
    assert.equal(a.from, TODAY);
    assert.deepEqual(a.team.map((m) => [m.login, m.lead]), [[LEAD, true], [AUDITOR, false]]);
    // the same JSON as the CLI
    const cli = srv.must(['audit', 'show', String(audit), '--as', REVIEW]);
    assert.deepEqual(a, cli);
    assert.equal(ok(await review.get(`/api/v1/audits/${audit}`)).state, 'planned');
  });

  test('plan refusals change nothing', async () => {
    const review = await as(REVIEW);
    const team = [{ login: LEAD, lead: true }];
    const post = (b, opts) => () => review.post('/api/v1/audits', b, opts);
    await refused(() => review.post('/api/v1/audits', undefined, { body: '{"application": 17,', type: 'application/json' }),
      400, 'malformed');
    await refused(() => review.post('/api/v1/audits', undefined, { body: '{}', type: 'text/plain' }),
      415, 'unsupported_media_type');
    await refused(post({ application: '17', from: TODAY, to: TODAY, team }), 422, 'invalid', 'application');
    await refused(post({ application: 17, from: '2025-02-30', to: TODAY, team }), 422, 'invalid', 'from');
    await refused(post({ application: 17, from: TODAY, to: TODAY, team, colour: 'red' }), 422, 'invalid', 'colour');
    await refused(post({ application: 17, from: TODAY, to: TODAY, team: 'zhao.qiang' }), 422, 'invalid', 'team');
    await refused(post({ application: 17, from: TODAY, to: TODAY, team: [{ login: LEAD, lead: 'yes' }] }),
      422, 'invalid', 'team[0].lead');
    await refused(post({ from: TODAY, to: TODAY, team }), 422, 'invalid', 'application');
    await refused(post({ application: 999999, from: TODAY, to: TODAY, team }), 404, 'not_found', 'application');
    // a second plan of the same application: its state is audit_planned
    await refused(post({ application: KEHUI_APP, from: TODAY, to: TODAY, team }), 409, 'state_conflict');
  });

  test('an auditor not on the team sees neither the audit nor it in the list', async () => {
    const other = await as(OTHER_AUDITOR);
    await refused(() => other.get(`/api/v1/audits/${audit}`), 403, 'forbidden', 'as');
    const list = ok(await other.get('/api/v1/audits?limit=1000'));
    assert.ok(!list.results.some((a) => a.id === audit), 'not in the list');
    const mine = ok(await (await as(AUDITOR)).get('/api/v1/audits?state=planned'));
    assert.ok(mine.results.some((a) => a.id === audit), 'a team member lists it');
    assert.ok(mine.results.every((a) => a.state === 'planned'));
  });

  test('the enterprise confirms the arrangements; others may not', async () => {
    const body = { people: '王经理 接待', transport: '公司车辆接送', office: '三楼会议室', from: TODAY, to: TODAY };
    await refused(async () => (await as('haina')).post(`/api/v1/audits/${audit}/confirm`, body), 403, 'forbidden');
    await refused(async () => (await as('kehui')).post(`/api/v1/audits/${audit}/confirm`, { ...body, office: 3 }),
      422, 'invalid', 'office');
    await refused(async () => (await as('kehui')).post(`/api/v1/audits/${audit}/start`), 409, 'state_conflict');
    const a = ok(await (await as('kehui')).post(`/api/v1/audits/${audit}/confirm`, body));
    assert.equal(a.state, 'confirmed');
  });

  test('only the lead starts it', async () => {
    await refused(async () => (await as(AUDITOR)).post(`/api/v1/audits/${audit}/start`), 422, 'precondition_failed');
    await refused(async () => (await as(LEAD)).post(`/api/v1/audits/${audit}/start`, { today: TODAY }),
      422, 'invalid', 'today');
    const a = ok(await (await as(LEAD)).post(`/api/v1/audits/${audit}/start`));
    assert.equal(a.state, 'in_audit');
    assert.equal(a.started_on, TODAY);
    await refused(async () => (await as(LEAD)).post(`/api/v1/audits/${audit}/start`), 409, 'state_conflict');
  });

  test('results: a batch is all or nothing, one indicator by PUT', async () => {
    const aud = await as(AUDITOR);
    const bad = allConform();
    bad.results.push({ indicator: '9.9.9', result: 'conform' });
    await refused(() => aud.post(`/api/v1/audits/${audit}/results`, bad), 422, 'invalid', 'results[15].indicator');
    await refused(() => aud.post(`/api/v1/audits/${audit}/results`, { results: [] }), 422, 'invalid', 'results');
    await refused(() => aud.post(`/api/v1/audits/${audit}/results`, { results: [{ indicator: '5.1.1', result: 'great' }] }),
      422, 'invalid', 'results[0].result');
    await refused(() => aud.post(`/api/v1/audits/${audit}/results`, { results: [{ indicator: '5.1.1' }] }),
      422, 'invalid', 'results[0].result');
    assert.equal(srv.sql(`SELECT COUNT(*) AS n FROM audit_results WHERE audit_id = ${audit}`)[0].n, 0);
    // committee members record no results (policy audit.result)
    await refused(async () => (await as(COMMITTEE[0])).put(`/api/v1/audits/${audit}/results/5.3.2`, { result: 'conform' }),
      403, 'forbidden');
    await refused(async () => (await as(OTHER_AUDITOR)).put(`/api/v1/audits/${audit}/results/5.3.2`, { result: 'conform' }),
      403, 'forbidden', 'as');
    const a = ok(await aud.post(`/api/v1/audits/${audit}/results`, allConform({ '5.3.2': 1 })));
    assert.equal(a.results.length, 14);
    await refused(() => aud.put(`/api/v1/audits/${audit}/results/5.3.2`, { result: 'sampled', samples: 10, nonconforming: 11 }),
      422, 'invalid', 'nonconforming');
    await refused(() => aud.put(`/api/v1/audits/${audit}/results/5.3.2`, { result: 'sampled', samples: '10', nonconforming: 1 }),
      422, 'invalid', 'samples');
    await refused(() => aud.put(`/api/v1/audits/${audit}/results/5.3.2`, { result: 'sampled', samples: 10, nonconforming: 1, indicator: '5.3.2' }),
      422, 'invalid', 'indicator');
    const b = ok(await aud.put(`/api/v1/audits/${audit}/results/5.3.2`, { result: 'sampled', samples: 10, nonconforming: 1 }));
    assert.equal(b.results.length, 15);
  });

  test('special items by the lead only; findings by the team', async () => {
    await refused(async () => (await as(AUDITOR)).post(`/api/v1/audits/${audit}/special-items`, { kind: 'bonus', reason: 'x' }),
      403, 'forbidden', 'as');
    await refused(async () => (await as(LEAD)).post(`/api/v1/audits/${audit}/special-items`, { kind: 'gift', reason: 'x' }),
      422, 'invalid', 'kind');
    const a = ok(await (await as(LEAD)).post(`/api/v1/audits/${audit}/special-items`,
      { kind: 'bonus', reason: '24小时服务热线' }), 201);
    assert.deepEqual(a.special_items.map((s) => s.kind), ['bonus']);
    await refused(async () => (await as(AUDITOR)).post(`/api/v1/audits/${audit}/findings`, { severity: 'fatal', text: 'x' }),
      422, 'invalid', 'severity');
    await refused(async () => (await as(COMMITTEE[1])).post(`/api/v1/audits/${audit}/findings`, { severity: 'minor', text: 'x' }),
      403, 'forbidden');
    const f = ok(await (await as(AUDITOR)).post(`/api/v1/audits/${audit}/findings`,
      { severity: 'minor', indicator: '5.1.1', text: '服务记录不完整' }), 201);
    finding = f.id;
    kehuiAudit = audit;
    assert.equal(f.audit, audit);
    assert.equal(f.source, 'audit');
    assert.equal(f.state, 'open');
    assert.equal(f.raised_by, AUDITOR);
  });

  test('the lead reports: the calculation sheet', async () => {
    await refused(async () => (await as(AUDITOR)).post(`/api/v1/audits/${audit}/report`), 422, 'precondition_failed');
    const a = ok(await (await as(LEAD)).post(`/api/v1/audits/${audit}/report`));
    assert.equal(a.state, 'reported');
    // 14 conform, one sampled 1 of 10 and one bonus: five-star (rules 3)
    assert.equal(a.level, 'five_star');
    assert.ok(a.sheet, 'the sheet is stored');
    await refused(async () => (await as(AUDITOR)).put(`/api/v1/audits/${audit}/results/5.1.1`, { result: 'nonconform' }),
      409, 'state_conflict', 'state');
  });

  test('committee: votes, a refused close while a finding is open, the decision', async () => {
    const [c1, c2, c3] = await Promise.all(COMMITTEE.map(as));
    await refused(() => c1.post(`/api/v1/audits/${audit}/votes`, { approve: 'yes' }), 422, 'invalid', 'approve');
    await refused(() => c1.post(`/api/v1/audits/${audit}/votes`, {}), 422, 'invalid', 'approve');
    await refused(() => c1.post(`/api/v1/audits/${audit}/votes`, { approve: true, level: 'six_star' }), 422, 'invalid', 'level');
    await refused(async () => (await as(LEAD)).post(`/api/v1/audits/${audit}/votes`, { approve: true }), 403, 'forbidden');
    const v = ok(await c1.post(`/api/v1/audits/${audit}/votes`, { approve: true }), 201);
    assert.equal(v.audit, audit);
    assert.equal(v.votes.length, 1);
    assert.equal(v.votes[0].level, 'five_star', 'default: the best level the sheet allows');
    await refused(() => c1.post(`/api/v1/audits/${audit}/votes`, { approve: true }), 409, 'conflict', 'as');
    ok(await c2.post(`/api/v1/audits/${audit}/votes`, { approve: true, level: 'four_star' }), 201);
    // the audit finding is not verified yet: no certificate
    await refused(() => c3.post(`/api/v1/audits/${audit}/decision`), 422, 'precondition_failed', 'findings_closed');
    srv.must(['finding', 'correct', String(finding), '--as', 'kehui', '--action', '补全服务记录']);
    srv.must(['finding', 'verify', String(finding), '--as', AUDITOR]);
    await refused(() => c3.post(`/api/v1/audits/${audit}/decision`, { level: 'five_star' }), 422, 'invalid', 'level');
    const d = ok(await c3.post(`/api/v1/audits/${audit}/decision`), 201);
    assert.equal(d.decision.outcome, 'certified');
    // five-star and four-star approve: four-star holds the quorum of two
    assert.equal(d.decision.level, 'four_star');
    assert.equal(d.decision.decided_on, TODAY);
    certificate = d.decision.certificate;
    assert.match(certificate, /^ASC-2025-\d{6}$/);
    assert.deepEqual(ok(await c1.get(`/api/v1/audits/${audit}/decision`)), d);
    assert.deepEqual(d, srv.must(['decision', 'show', String(audit), '--as', COMMITTEE[0]]));
    await refused(() => c3.post(`/api/v1/audits/${audit}/decision`), 409, 'state_conflict');
    const c = ok(await c1.get(`/api/v1/certificates/${certificate}`));
    assert.equal(c.state, 'active');
    assert.equal(c.level, 'four_star');
    assert.equal(c.issued, TODAY);
  });

  test('the enterprise sees its audit and its decision, not other organisations\'', async () => {
    const kehui = await as('kehui');
    assert.equal(ok(await kehui.get(`/api/v1/audits/${audit}`)).id, audit);
    const list = ok(await kehui.get('/api/v1/audits'));
    assert.ok(list.results.length >= 1);
    assert.ok(list.results.every((a) => a.organisation.name === '合肥科汇仪器仪表有限公司'));
    await refused(async () => (await as('haina')).get(`/api/v1/audits/${audit}`), 403, 'forbidden');
    await refused(async () => (await as('haina')).get(`/api/v1/audits/${audit}/decision`), 403, 'forbidden');
  });

  test('the event trail of this audit, in order', async () => {
    const admin = await as(ADMIN);
    const ev = ok(await admin.get(`/api/v1/events?entity=audit&entity_id=${audit}&limit=1000`));
    const actions = ev.results.map((e) => e.action);
    assert.deepEqual(actions.slice(0, 3), ['audit.plan', 'audit.confirm', 'audit.start']);
    assert.equal(actions.filter((a) => a === 'audit.result').length, 15);
    assert.ok(actions.includes('audit.special'));
    assert.ok(actions.includes('audit.report'));
    assert.equal(actions.filter((a) => a === 'decision.vote').length, 2);
    assert.equal(ev.results[0].actor, REVIEW);
    assert.ok(ev.results.every((e) => e.entity === 'audit' && e.entity_id === audit));
    assert.equal(ev.next_after, null);
  });
});

describe('certificates', () => {
  test('the list and the staff view equal the CLI\'s', async () => {
    const c1 = await as(COMMITTEE[0]);
    const list = ok(await c1.get('/api/v1/certificates?state=active&limit=1000'));
    assert.ok(list.results.length >= 4);
    assert.ok(list.results.every((c) => c.state === 'active'));
    assert.deepEqual(list.results, srv.must(['certificate', 'list', '--as', COMMITTEE[0], '--state', 'active', '--limit', '1000']));
    const one = ok(await c1.get(`/api/v1/certificates/${HAINA}`));
    assert.deepEqual(one, srv.must(['certificate', 'show', HAINA, '--as', COMMITTEE[0]]));
    assert.equal(one.number, HAINA);
    await refused(() => c1.get('/api/v1/certificates/ASC-1999-000009'), 404, 'not_found');
    await refused(() => c1.get('/api/v1/certificates?state=shiny'), 422, 'invalid', 'state');
    await refused(() => c1.get('/api/v1/certificates?limit=0'), 422, 'invalid', 'limit');
    await refused(() => c1.get('/api/v1/certificates?organisation=x'), 422, 'invalid', 'organisation');
  });

  test('an enterprise user sees only its own certificates', async () => {
    const haina = await as('haina');
    const list = ok(await haina.get('/api/v1/certificates'));
    assert.deepEqual(list.results.map((c) => c.number), [HAINA]);
    assert.equal(ok(await haina.get(`/api/v1/certificates/${HAINA}`)).number, HAINA);
    await refused(() => haina.get(`/api/v1/certificates/${RUIDA}`), 403, 'forbidden');
    // and acts on none
    await refused(() => haina.post(`/api/v1/certificates/${HAINA}/cancel`,
      { reason_code: 'holder_request', reason: '停止服务' }), 403, 'forbidden');
    await refused(() => haina.get('/api/v1/due'), 403, 'forbidden', 'as');
  });

  test('suspend then withdraw (committee); refusals change nothing', async () => {
    const c1 = await as(COMMITTEE[0]);
    const url = `/api/v1/certificates/${RUIDA}`;
    await refused(() => c1.post(`${url}/suspend`, { reason_code: 'bored', reason: 'x' }), 422, 'invalid', 'reason_code');
    await refused(() => c1.post(`${url}/suspend`, { reason_code: 'misuse_of_mark' }), 422, 'precondition_failed');
    await refused(() => c1.post(`${url}/suspend`, { reason_code: 'misuse_of_mark', reason: 'x', extra: 1 }), 422, 'invalid', 'extra');
    await refused(() => c1.post(`${url}/suspend`, { reason_code: 42, reason: 'x' }), 422, 'invalid', 'reason_code');
    await refused(() => c1.post(`${url}/withdraw`, { reason_code: 'not_restored', reason: 'x' }), 409, 'state_conflict');
    await refused(async () => (await as(MARKET)).post(`${url}/suspend`, { reason_code: 'misuse_of_mark', reason: 'x' }),
      403, 'forbidden');
    await refused(() => c1.post('/api/v1/certificates/ASC-1999-000009/suspend', { reason_code: 'misuse_of_mark', reason: 'x' }),
      404, 'not_found');
    const s = ok(await c1.post(`${url}/suspend`, { reason_code: 'misuse_of_mark', reason: '擅自在未认证网点使用星级标志' }));
    assert.equal(s.state, 'suspended');
    assert.equal(s.state_since, TODAY);
    await refused(() => c1.post(`${url}/suspend`, { reason_code: 'misuse_of_mark', reason: 'again' }), 409, 'state_conflict');
    const w = ok(await c1.post(`${url}/withdraw`, { reason_code: 'misuse_of_mark', reason: '整改未完成' }));
    assert.equal(w.state, 'withdrawn');
    const pub = ok(await srv.anon().get(`/api/v1/registry/${RUIDA}`));
    assert.equal(pub.status, 'withdrawn');
  });

  test('cancel (market)', async () => {
    const market = await as(MARKET);
    await refused(async () => (await as(COMMITTEE[0])).post(`/api/v1/certificates/${HAINA}/cancel`,
      { reason_code: 'holder_request', reason: 'x' }), 403, 'forbidden');
    await refused(() => market.post(`/api/v1/certificates/${HAINA}/cancel`, { reason_code: 'misuse_of_mark', reason: 'x' }),
      422, 'invalid', 'reason_code');
    const c = ok(await market.post(`/api/v1/certificates/${HAINA}/cancel`,
      { reason_code: 'holder_request', reason: '企业申请注销' }));
    assert.equal(c.state, 'cancelled');
    await refused(() => market.post(`/api/v1/certificates/${HAINA}/cancel`,
      { reason_code: 'holder_request', reason: 'again' }), 409, 'state_conflict');
  });

  test('reissue with a corrected scope (committee, certificate.reissue)', async () => {
    const body = { scope: '家用电器的销售、安装与维修服务', reason_code: 'scope_correction', reason: '范围文字更正' };
    await refused(async () => (await as(MARKET)).post(`/api/v1/certificates/${YUEFENG}/reissue`, body), 403, 'forbidden');
    await refused(async () => (await as(COMMITTEE[0])).post(`/api/v1/certificates/${YUEFENG}/reissue`, { ...body, scope: 7 }),
      422, 'invalid', 'scope');
    const before0 = ok(await (await as(COMMITTEE[0])).get(`/api/v1/certificates/${YUEFENG}`));
    const r = ok(await (await as(COMMITTEE[0])).post(`/api/v1/certificates/${YUEFENG}/reissue`, body));
    assert.equal(r.revision, before0.revision + 1);
    assert.equal(r.scope, body.scope);
    assert.equal(r.level, before0.level);
    assert.equal(r.expires, before0.expires);
  });

  test('restore a suspended certificate after a restore audit', async () => {
    const review = await as(REVIEW);
    const a = ok(await review.post('/api/v1/audits', {
      certificate: HENGRUN, from: TODAY, to: TODAY, team: [{ login: LEAD, lead: true }, { login: AUDITOR }],
    }), 201);
    assert.equal(a.kind, 'restore');
    assert.equal(a.certificate, HENGRUN);
    ok(await (await as('hengrun')).post(`/api/v1/audits/${a.id}/confirm`,
      { people: '李经理', transport: '自驾', office: '二楼', from: TODAY, to: TODAY }));
    ok(await (await as(LEAD)).post(`/api/v1/audits/${a.id}/start`, {}));
    ok(await (await as(AUDITOR)).post(`/api/v1/audits/${a.id}/results`, allConform()));
    const rep = ok(await (await as(LEAD)).post(`/api/v1/audits/${a.id}/report`));
    assert.equal(rep.state, 'reported');
    ok(await (await as(COMMITTEE[0])).post(`/api/v1/audits/${a.id}/votes`, { approve: true }), 201);
    ok(await (await as(COMMITTEE[1])).post(`/api/v1/audits/${a.id}/votes`, { approve: true }), 201);
    const c3 = await as(COMMITTEE[2]);
    await refused(() => c3.post(`/api/v1/certificates/${HENGRUN}/restore`, {}), 422, 'invalid', 'audit');
    await refused(() => c3.post(`/api/v1/certificates/${HENGRUN}/restore`, { audit: String(a.id) }), 422, 'invalid', 'audit');
    // the audit must be one of this certificate
    await refused(() => c3.post(`/api/v1/certificates/${HENGRUN}/restore`, { audit: kehuiAudit }), 422, 'invalid', 'audit');
    // an active certificate has nothing to restore
    await refused(() => c3.post(`/api/v1/certificates/${YUEFENG}/restore`, { audit: a.id }), 409, 'state_conflict');
    const r = ok(await c3.post(`/api/v1/certificates/${HENGRUN}/restore`, { audit: a.id }));
    assert.equal(r.state, 'active');
    assert.equal(r.state_since, TODAY);
  });

  test('the due list for staff', async () => {
    const c1 = await as(COMMITTEE[0]);
    const due = ok(await c1.get('/api/v1/due?within=400'));
    assert.deepEqual(due.results, srv.must(['due', '--within', '400']));
    for (const d of due.results) assert.ok(d.date >= TODAY && d.date <= '2026-08-04', d.date);
    await refused(() => c1.get('/api/v1/due?within=-1'), 422, 'invalid', 'within');
    await refused(() => c1.get('/api/v1/due?within=ten'), 422, 'invalid', 'within');
  });
});

describe('the event trail', () => {
  test('the admin pages through it', async () => {
    const admin = await as(ADMIN);
    const p1 = ok(await admin.get('/api/v1/events?limit=3'));
    assert.deepEqual(p1.results.map((e) => e.id), [1, 2, 3]);
    assert.equal(p1.next_after, 3);
    const p2 = ok(await admin.get(`/api/v1/events?after=${p1.next_after}&limit=2`));
    assert.deepEqual(p2.results.map((e) => e.id), [4, 5]);
    for (const e of [...p1.results, ...p2.results]) {
      assert.equal(typeof e.action, 'string');
      assert.equal(typeof e.detail, 'object');
      assert.match(e.hash, /^[0-9a-f]{64}$/);
    }
    assert.equal(p2.results[0].prev_hash, p1.results[2].hash, 'the chain links');
    const certs = ok(await admin.get('/api/v1/events?entity=certificate&limit=1000'));
    assert.ok(certs.results.length > 0);
    assert.ok(certs.results.every((e) => e.entity === 'certificate'));
    const last = srv.sql('SELECT MAX(id) AS n FROM events')[0].n;
    const tail = ok(await admin.get(`/api/v1/events?after=${last}`));
    assert.deepEqual(tail.results, []);
    assert.equal(tail.next_after, null);
  });

  test('bad paging and filters are 422 with the parameter', async () => {
    const admin = await as(ADMIN);
    await refused(() => admin.get('/api/v1/events?after=-1'), 422, 'invalid', 'after');
    await refused(() => admin.get('/api/v1/events?limit=1001'), 422, 'invalid', 'limit');
    await refused(() => admin.get('/api/v1/events?limit=abc'), 422, 'invalid', 'limit');
    await refused(() => admin.get('/api/v1/events?entity_id=5'), 422, 'invalid', 'entity_id');
    await refused(() => admin.get('/api/v1/events?entity=Audit;DROP'), 422, 'invalid', 'entity');
  });

  test('only the admin reads it', async () => {
    for (const who of [COMMITTEE[0], REVIEW, LEAD, MARKET, 'haina']) {
      await refused(async () => (await as(who)).get('/api/v1/events'), 403, 'forbidden');
      await refused(async () => (await as(who)).get('/api/v1/events/verify'), 403, 'forbidden');
    }
  });

  test('verify: the same JSON as `starcert audit-verify`, and a tampered row is named', async () => {
    const admin = await as(ADMIN);
    const v = ok(await admin.get('/api/v1/events/verify'));
    const cli = srv.cli(['audit-verify']);
    assert.equal(cli.code, 0);
    assert.deepEqual(v, cli.json);
    assert.equal(v.valid, true);
    assert.equal(v.events, srv.sql('SELECT COUNT(*) AS n FROM events')[0].n);
    // tamper with one row (as an attacker with file access would)
    srv.sql("UPDATE events SET detail = '{\"forged\":true}' WHERE id = 7");
    const bad = await admin.get('/api/v1/events/verify');
    assert.equal(bad.status, 409);
    assert.equal(bad.json.valid, false);
    assert.equal(bad.json.bad_event, 7);
    assert.equal(errorOf(bad).code, 'conflict');
    assert.equal(bad.json.error.field, 'events');
    const cliBad = srv.cli(['audit-verify']);
    assert.equal(cliBad.code, 1);
    assert.deepEqual(bad.json, cliBad.json);
  });
});
