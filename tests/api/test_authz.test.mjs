// test_authz: the authorisation matrix. Every route of the route table ×
// every kind of caller — admin, market, review, auditor on the target's
// audit team, auditor not on it, committee, the enterprise that owns the
// target, another enterprise, anonymous — against the demo database
// (docs/demo.md), each answer checked against the expectation written
// HERE, by hand, from the policy table (src/core/policy.c) and the state
// machines (src/core/workflow.c): "allowed" means not refused for who the
// caller is (any status but 401/403, and no 5xx); "denied" means 401 or
// 403 (or 404 where the server hides another organisation's or team's
// record). Write routes run on a fresh copy of the database each, denied
// callers first, so an allowed call that changes state cannot mask a
// refusal. A route of the table with no row here fails the test: new
// routes must be added to the matrix.
// Not for: what an allowed call returns (the journey and resource tests).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { runCli, startServer } from './lib.mjs';

const COLUMNS = ['admin', 'market', 'review', 'auditor', 'auditor_other', 'committee', 'ent_own', 'ent_other', 'anonymous'];
const STAFF_LOGIN = { admin: 'chen.jing', market: 'wang.lei', review: 'zhang.min', committee: 'zheng.guoping' };
const AUDITORS = ['zhao.qiang', 'sun.li', 'zhou.jie', 'wu.fang'];
const ALL_LOGGED_IN = 'admin market review auditor auditor_other committee ent_own ent_other';
const EVERYONE = ALL_LOGGED_IN + ' anonymous';
const OFFICE = 'admin market review committee';

let tpl; // the prepared database: demo + passwords + sessions
let clients; // login -> Client (sessions valid on every copy)
let routes;
let ids; // targets looked up in the demo database
const results = []; // [route, column, status] for the report

// A valid 统一社会信用代码 (GB 32100-2015) from 17 characters.
function uscc(body17) {
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let s = 0;
  for (let i = 0; i < 17; i++) s += A.indexOf(body17[i]) * W[i];
  return body17 + A[(31 - (s % 31)) % 31];
}

before(async () => {
  routes = runCli(['routes']).json;
  tpl = await startServer({ demo: true });
  const q = (sql) => tpl.sql(sql);
  const one = (sql) => Object.values(q(sql)[0] || {})[0];
  const entOf = (org) => one(`SELECT login FROM users WHERE role = 'enterprise' AND organisation_id = ${org}`);
  const team = (audit) => q(`SELECT u.login, t.lead FROM audit_team t JOIN users u ON u.id = t.user_id WHERE t.audit_id = ${audit} ORDER BY t.lead DESC`).map((r) => r.login);
  const auditOf = (app) => one(`SELECT id FROM audits WHERE application_id = ${app} ORDER BY id DESC LIMIT 1`);
  const orgOf = (app) => one(`SELECT organisation_id FROM applications WHERE id = ${app}`);
  const appIn = (state) => one(`SELECT id FROM applications WHERE state = '${state}' ORDER BY id DESC LIMIT 1`);
  const certIn = (state) => q(`SELECT number, organisation_id AS org FROM certificates WHERE state = '${state}' ORDER BY id LIMIT 1`)[0];
  const userId = (login) => one(`SELECT id FROM users WHERE login = '${login}'`);

  const appReported = appIn('audit_reported');
  const appDocFinding = one("SELECT application_id FROM findings WHERE source = 'document_review' AND state = 'corrected' LIMIT 1");
  const auditFinding = q("SELECT id, application_id, audit_id FROM findings WHERE audit_id IS NOT NULL LIMIT 1")[0];
  const decided = q("SELECT d.audit_id, a.application_id FROM decisions d JOIN audits a ON a.id = d.audit_id WHERE a.application_id IS NOT NULL ORDER BY d.id DESC LIMIT 1")[0];
  ids = {
    entOf, team, orgOf, userId,
    appReported, auditReported: auditOf(appReported),
    appDraft: appIn('draft'), appSubmitted: appIn('submitted'), appAccepted: appIn('accepted'),
    appContracted: appIn('contracted'), appDocsApproved: appIn('documents_approved'),
    appPlanned: appIn('audit_planned'), appConfirmed: appIn('audit_confirmed'), appInAudit: appIn('in_audit'),
    docReported: one(`SELECT id FROM documents WHERE application_id = ${appReported} ORDER BY id LIMIT 1`),
    findingCorrected: one("SELECT id FROM findings WHERE source = 'document_review' AND state = 'corrected' LIMIT 1"),
    appDocFinding, auditFinding, decided,
    certActive: certIn('active'), certSuspended: certIn('suspended'),
  };
  ids.auditPlanned = auditOf(ids.appPlanned);
  ids.anyAudit = one(`SELECT id FROM audits WHERE certificate_id = (SELECT id FROM certificates WHERE number = '${ids.certSuspended.number}') ORDER BY id DESC LIMIT 1`) ?? one('SELECT max(id) FROM audits');
  ids.auditConfirmed = auditOf(ids.appConfirmed);
  ids.auditInAudit = auditOf(ids.appInAudit);
  for (const [k, v] of Object.entries(ids)) assert.ok(v !== undefined && v !== null, `demo target ${k}`);

  // Everyone logs in once; the sessions live in the database, so every
  // copy of it accepts them.
  const ents = q("SELECT login FROM users WHERE role = 'enterprise' ORDER BY id").map((r) => r.login);
  clients = await tpl.loginAll([...Object.values(STAFF_LOGIN), ...AUDITORS, ...ents]);
  // a bearer token of the market user, for the token routes
  const admin = clients['chen.jing'];
  const tok = await admin.post('/api/v1/tokens', { user: 'wang.lei', label: 'matrix' });
  assert.equal(tok.status, 201, tok.text);
  ids.marketToken = tok.json.id;
  // an ongoing impartiality link of an auditor, for the link-end route
  ids.linkOngoing = tpl.must(['link', 'add', '--as', 'zhou.jie', '--org', String(ids.certActive.org), '--kind', 'consulted', '--from', '2024-01-01', '--ongoing']).id;
  await tpl.stop({ keep: true });
});

after(async () => {
  if (tpl) fs.rmSync(tpl.dir, { recursive: true, force: true });
  if (process.env.STARCERT_AUTHZ_REPORT) {
    fs.writeFileSync(process.env.STARCERT_AUTHZ_REPORT, JSON.stringify(results, null, 1));
  }
});

/*
 * The matrix. Each row: the route (method and pattern as in routes.c), a
 * function giving the concrete request for the demo data and who plays
 * the team auditor and the owning enterprise, and `allow`: the callers
 * that may (per the policy/workflow tables, by hand). `hide`: a refused
 * caller may get 404 instead of 403 (records of other organisations or
 * teams are not revealed).
 */
function matrix() {
  const I = ids;
  const auditTeam = (a) => I.team(a);
  const rows = [
    // ---- public
    { route: 'GET /healthz', req: () => ({ path: '/healthz' }), allow: EVERYONE },
    { route: 'GET /metrics', req: () => ({ path: '/metrics' }), allow: EVERYONE },
    { route: 'GET /api/v1/registry', req: () => ({ path: '/api/v1/registry?q=' + encodeURIComponent('海') }), allow: EVERYONE },
    { route: 'GET /api/v1/registry/{number}', req: () => ({ path: `/api/v1/registry/${I.certActive.number}` }), allow: EVERYONE },
    // ---- accounts (policy: log-in and self-registration are public; a
    // token is created by an admin (user.create); a user lists and revokes
    // their own tokens; a password is changed by its user or an admin)
    { route: 'POST /api/v1/session', write: true, req: (who) => ({ body: { login: who.login || 'wang.lei', password: 'correct horse battery staple' }, anonymousCredentials: true }), allow: EVERYONE },
    { route: 'GET /api/v1/session', req: () => ({}), allow: ALL_LOGGED_IN },
    { route: 'DELETE /api/v1/session', write: true, req: () => ({}), allow: ALL_LOGGED_IN },
    { route: 'POST /api/v1/registrations', write: true, req: () => ({ body: {} }), allow: EVERYONE },
    { route: 'GET /api/v1/tokens', req: () => ({}), allow: ALL_LOGGED_IN },
    { route: 'POST /api/v1/tokens', write: true, req: () => ({ body: { user: 'zhang.min', label: 'x' } }), allow: 'admin' },
    { route: 'DELETE /api/v1/tokens/{id}', write: true, hide: true, req: () => ({ path: `/api/v1/tokens/${I.marketToken}` }), allow: 'admin market' },
    { route: 'POST /api/v1/users/{id}/password', write: true, hide: true, req: () => ({ path: `/api/v1/users/${I.userId('wang.lei')}/password`, body: { password: 'a new long password 123', old_password: 'correct horse battery staple' } }), allow: 'market admin' }, // the user first: an admin's reset ends the user's sessions
    // ---- organisations (organisation.view: office + auditors any,
    // enterprise own; organisation.create: admin, market; outlet.add:
    // admin, market, enterprise own)
    { route: 'GET /api/v1/organisations', req: () => ({}), allow: ALL_LOGGED_IN },
    { route: 'POST /api/v1/organisations', write: true, req: () => ({ body: { uscc: uscc('91110000MA01ABCD1'), name: '北京矩阵测试有限公司' } }), allow: 'admin market' },
    { route: 'GET /api/v1/organisations/{id}', hide: true, req: () => ({ path: `/api/v1/organisations/${I.certActive.org}`, org: I.certActive.org }), allow: OFFICE + ' auditor auditor_other ent_own' },
    // organisation.update: admin, market, the holder (address and
    // employees; a rename is admin and market only: test_org_update)
    { route: 'PATCH /api/v1/organisations/{id}', write: true, hide: true, req: () => ({ path: `/api/v1/organisations/${I.certActive.org}`, org: I.certActive.org, body: { address: '矩阵路1号', employees: 99 } }), allow: 'admin market ent_own' },
    { route: 'GET /api/v1/organisations/{id}/outlets', hide: true, req: () => ({ path: `/api/v1/organisations/${I.certActive.org}/outlets`, org: I.certActive.org }), allow: OFFICE + ' auditor auditor_other ent_own' },
    { route: 'POST /api/v1/organisations/{id}/outlets', write: true, hide: true, req: () => ({ path: `/api/v1/organisations/${I.certActive.org}/outlets`, org: I.certActive.org, body: { name: '矩阵服务网点', address: '测试路1号' } }), allow: 'admin market ent_own' },
    // ---- users (user.view: admin any, everyone else self; user.create,
    // qualification.add: admin; qualification.view: admin, review,
    // committee any, an auditor self; link.view: admin, review, committee
    // any, market and auditors self; link.declare: admin any, staff self)
    { route: 'GET /api/v1/users', req: () => ({}), allow: ALL_LOGGED_IN },
    { route: 'POST /api/v1/users', write: true, req: () => ({ body: { login: 'matrix.user', name: '矩阵', role: 'market' } }), allow: 'admin' },
    { route: 'GET /api/v1/users/{id}', hide: true, req: () => ({ path: `/api/v1/users/${I.userId('wang.lei')}` }), allow: 'admin market' },
    // user.deactivate, user.reactivate: admin only (a market user who is
    // none of the callers is the target; reactivating an active one is a
    // 409, which is not a refusal of the caller)
    { route: 'POST /api/v1/users/{id}/deactivate', write: true, req: () => ({ path: `/api/v1/users/${I.userId('liu.yang')}/deactivate`, body: { reason: '矩阵' } }), allow: 'admin' },
    { route: 'POST /api/v1/users/{id}/reactivate', write: true, req: () => ({ path: `/api/v1/users/${I.userId('liu.yang')}/reactivate`, body: {} }), allow: 'admin' },
    { route: 'GET /api/v1/users/{id}/qualifications', hide: true, req: () => ({ path: `/api/v1/users/${I.userId('zhao.qiang')}/qualifications`, team: ['zhao.qiang'] }), allow: 'admin review committee auditor' },
    { route: 'POST /api/v1/users/{id}/qualifications', write: true, hide: true, req: () => ({ path: `/api/v1/users/${I.userId('zhao.qiang')}/qualifications`, team: ['zhao.qiang'], body: { kind: 'auditor', number: 'MATRIX-1', valid_from: '2025-01-01', valid_to: '2027-12-31' } }), allow: 'admin' },
    { route: 'GET /api/v1/users/{id}/links', hide: true, req: () => ({ path: `/api/v1/users/${I.userId('zhou.jie')}/links`, team: ['zhou.jie'] }), allow: 'admin review committee auditor' },
    { route: 'POST /api/v1/users/{id}/links', write: true, hide: true, req: () => ({ path: `/api/v1/users/${I.userId('zhou.jie')}/links`, team: ['zhou.jie'], body: { organisation: String(I.certActive.org), kind: 'consulted', from: '2024-01-01', to: '2024-06-30' } }), allow: 'admin auditor' },
    // link.end: admin any, staff their own (the link's holder)
    { route: 'POST /api/v1/users/{id}/links/{link_id}/end', write: true, hide: true, req: () => ({ path: `/api/v1/users/${I.userId('zhou.jie')}/links/${I.linkOngoing}/end`, team: ['zhou.jie'], body: { to: '2024-06-30' } }), allow: 'admin auditor' },
    // ---- applications (application.view: office any, auditors on the
    // team, enterprise own; create: market, enterprise own; the state
    // machine: submit and withdraw by the enterprise, accept/return/reject
    // and the contract by market, document review by review)
    { route: 'GET /api/v1/applications', req: () => ({}), allow: ALL_LOGGED_IN },
    { route: 'POST /api/v1/applications', write: true, hide: true, req: () => ({ org: I.certActive.org, body: { organisation: String(I.certActive.org), kind: 'upgrade', scope: '矩阵范围', certificate: I.certActive.number } }), allow: 'market ent_own' },
    { route: 'GET /api/v1/applications/{id}', hide: true, req: () => ({ path: `/api/v1/applications/${I.appReported}`, org: I.orgOf(I.appReported), team: auditTeam(I.auditReported) }), allow: OFFICE + ' auditor ent_own' },
    { route: 'POST /api/v1/applications/{id}/submit', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appDraft}/submit`, org: I.orgOf(I.appDraft), body: {} }), allow: 'ent_own' },
    { route: 'POST /api/v1/applications/{id}/accept', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appSubmitted}/accept`, org: I.orgOf(I.appSubmitted), body: {} }), allow: 'market' },
    { route: 'POST /api/v1/applications/{id}/return', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appSubmitted}/return`, org: I.orgOf(I.appSubmitted), body: { reason: '材料不全' } }), allow: 'market' },
    { route: 'POST /api/v1/applications/{id}/reject', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appSubmitted}/reject`, org: I.orgOf(I.appSubmitted), body: { reason: '不在认证范围' } }), allow: 'market' },
    { route: 'POST /api/v1/applications/{id}/withdraw', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appDraft}/withdraw`, org: I.orgOf(I.appDraft), body: { reason: '暂不申请' } }), allow: 'ent_own' },
    { route: 'PUT /api/v1/applications/{id}/preparation/{item}', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appDraft}/preparation/1`, org: I.orgOf(I.appDraft), body: { done: true, evidence: '培训记录' } }), allow: 'market ent_own' },
    { route: 'POST /api/v1/applications/{id}/managers', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appDraft}/managers`, org: I.orgOf(I.appDraft), body: { name: '张三', certificate_no: 'SM-2025-0001' } }), allow: 'market ent_own' },
    { route: 'POST /api/v1/applications/{id}/contract', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appAccepted}/contract`, org: I.orgOf(I.appAccepted), body: { number: 'HT-MATRIX-1', fee_cents: 3000000, preliminary_audit: '2025-08-01' } }), allow: 'market' },
    { route: 'POST /api/v1/applications/{id}/reviews/revise', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appContracted}/reviews/revise`, org: I.orgOf(I.appContracted), body: { findings: [{ text: '手册缺章节', severity: 'minor', indicator: '5.1.4' }] } }), allow: 'review' },
    { route: 'POST /api/v1/applications/{id}/reviews/approve', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appContracted}/reviews/approve`, org: I.orgOf(I.appContracted), body: {} }), allow: 'review' },
    // ---- documents (document.view: office any, auditors on the team,
    // enterprise own; upload: market, enterprise own)
    { route: 'GET /api/v1/applications/{id}/documents', hide: true, req: () => ({ path: `/api/v1/applications/${I.appReported}/documents`, org: I.orgOf(I.appReported), team: auditTeam(I.auditReported) }), allow: OFFICE + ' auditor ent_own' },
    { route: 'POST /api/v1/applications/{id}/documents', write: true, hide: true, req: () => ({ path: `/api/v1/applications/${I.appDraft}/documents?kind=service_manual&name=${encodeURIComponent('手册.pdf')}`, org: I.orgOf(I.appDraft), raw: Buffer.from('%PDF-1.4\n%matrix\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'), type: 'application/pdf' }), allow: 'market ent_own' },
    { route: 'GET /api/v1/documents/{id}', hide: true, req: () => ({ path: `/api/v1/documents/${I.docReported}`, org: I.orgOf(I.appReported), team: auditTeam(I.auditReported) }), allow: OFFICE + ' auditor ent_own' },
    { route: 'GET /api/v1/documents/{id}/content', hide: true, req: () => ({ path: `/api/v1/documents/${I.docReported}/content`, org: I.orgOf(I.appReported), team: auditTeam(I.auditReported) }), allow: OFFICE + ' auditor ent_own' },
    // ---- findings (viewed as their application; corrected by the
    // enterprise; verified by review, or auditors of the audit's team)
    { route: 'GET /api/v1/findings/{id}', hide: true, req: () => ({ path: `/api/v1/findings/${I.auditFinding.id}`, org: I.orgOf(I.auditFinding.application_id), team: auditTeam(I.auditFinding.audit_id) }), allow: OFFICE + ' auditor ent_own' },
    { route: 'POST /api/v1/findings/{id}/correct', write: true, hide: true, req: () => ({ path: `/api/v1/findings/${I.findingCorrected}/correct`, org: I.orgOf(I.appDocFinding), body: { corrective_action: '已修订' } }), allow: 'ent_own' },
    // a document-review finding has no audit team: only review
    { route: 'POST /api/v1/findings/{id}/verify', write: true, hide: true, req: () => ({ path: `/api/v1/findings/${I.findingCorrected}/verify`, org: I.orgOf(I.appDocFinding), body: { accept: true, note: '已核实' } }), allow: 'review' },
    // ---- audits (audit.view: office any, the team, enterprise own; the
    // state machine: plan by review, confirm by the enterprise, start and
    // report by the team's (lead) auditor; results, special items by the
    // team; findings by review or the team; votes and the decision by the
    // committee)
    { route: 'GET /api/v1/audits', req: () => ({}), allow: ALL_LOGGED_IN },
    { route: 'POST /api/v1/audits', write: true, req: () => ({ org: I.orgOf(I.appDocsApproved), body: { application: I.appDocsApproved, from: '2025-07-20', to: '2025-07-21', team: [{ login: 'zhao.qiang', lead: true }, { login: 'wu.fang' }] } }), allow: 'review' },
    { route: 'GET /api/v1/audits/{id}', hide: true, req: () => ({ path: `/api/v1/audits/${I.auditReported}`, org: I.orgOf(I.appReported), team: auditTeam(I.auditReported) }), allow: OFFICE + ' auditor ent_own' },
    { route: 'POST /api/v1/audits/{id}/confirm', write: true, hide: true, req: () => ({ path: `/api/v1/audits/${I.auditPlanned}/confirm`, org: I.orgOf(I.appPlanned), team: auditTeam(I.auditPlanned), body: { people: '经理陪同', transport: '公司车辆', office: '会议室' } }), allow: 'ent_own' },
    { route: 'POST /api/v1/audits/{id}/start', write: true, hide: true, req: () => ({ path: `/api/v1/audits/${I.auditConfirmed}/start`, org: I.orgOf(I.appConfirmed), team: auditTeam(I.auditConfirmed), body: {} }), allow: 'auditor', pre: { auditor_other: 'lead_auditor' } },
    { route: 'PUT /api/v1/audits/{id}/results/{indicator}', write: true, hide: true, req: () => ({ path: `/api/v1/audits/${I.auditInAudit}/results/5.1.1`, org: I.orgOf(I.appInAudit), team: auditTeam(I.auditInAudit), body: { result: 'conform' } }), allow: 'auditor' },
    { route: 'POST /api/v1/audits/{id}/results', write: true, hide: true, req: () => ({ path: `/api/v1/audits/${I.auditInAudit}/results`, org: I.orgOf(I.appInAudit), team: auditTeam(I.auditInAudit), body: { results: [{ indicator: '5.1.2', result: 'conform' }] } }), allow: 'auditor' },
    { route: 'POST /api/v1/audits/{id}/special-items', write: true, hide: true, req: () => ({ path: `/api/v1/audits/${I.auditInAudit}/special-items`, org: I.orgOf(I.appInAudit), team: auditTeam(I.auditInAudit), body: { kind: 'bonus', reason: '矩阵' } }), allow: 'auditor' },
    { route: 'POST /api/v1/audits/{id}/findings', write: true, hide: true, req: () => ({ path: `/api/v1/audits/${I.auditInAudit}/findings`, org: I.orgOf(I.appInAudit), team: auditTeam(I.auditInAudit), body: { severity: 'minor', indicator: '5.2.4', text: '记录不全' } }), allow: 'auditor' }, // policy finding.add lists review (any): for document-review findings; an audit's findings are its team's (store)
    { route: 'POST /api/v1/audits/{id}/report', write: true, hide: true, req: () => ({ path: `/api/v1/audits/${I.auditInAudit}/report`, org: I.orgOf(I.appInAudit), team: auditTeam(I.auditInAudit), body: {} }), allow: 'auditor', pre: { auditor_other: 'lead_auditor' } },
    { route: 'POST /api/v1/audits/{id}/votes', write: true, hide: true, req: () => ({ path: `/api/v1/audits/${I.auditReported}/votes`, org: I.orgOf(I.appReported), team: auditTeam(I.auditReported), body: { approve: true } }), allow: 'committee' },
    { route: 'POST /api/v1/audits/{id}/decision', write: true, hide: true, req: () => ({ path: `/api/v1/audits/${I.auditReported}/decision`, org: I.orgOf(I.appReported), team: auditTeam(I.auditReported), body: {} }), allow: 'committee' },
    { route: 'GET /api/v1/audits/{id}/decision', hide: true, req: () => ({ path: `/api/v1/audits/${I.decided.audit_id}/decision`, org: I.orgOf(I.decided.application_id), team: auditTeam(I.decided.audit_id) }), allow: OFFICE + ' auditor ent_own' },
    // ---- certificates (certificate.view: office and auditors any,
    // enterprise own; suspend, restore, withdraw, reissue by the
    // committee; cancel by market; confidentiality by market and committee)
    { route: 'GET /api/v1/certificates', req: () => ({}), allow: ALL_LOGGED_IN },
    { route: 'GET /api/v1/certificates/{number}', hide: true, req: () => ({ path: `/api/v1/certificates/${I.certActive.number}`, org: I.certActive.org }), allow: OFFICE + ' auditor auditor_other ent_own' },
    { route: 'POST /api/v1/certificates/{number}/suspend', write: true, hide: true, req: () => ({ path: `/api/v1/certificates/${I.certActive.number}/suspend`, org: I.certActive.org, body: { reason_code: 'serious_nonconformity', reason: '投诉' } }), allow: 'committee' },
    { route: 'POST /api/v1/certificates/{number}/restore', write: true, hide: true, req: () => ({ path: `/api/v1/certificates/${I.certSuspended.number}/restore`, org: I.certSuspended.org, body: { audit: I.anyAudit } }), allow: 'committee' },
    { route: 'POST /api/v1/certificates/{number}/withdraw', write: true, hide: true, req: () => ({ path: `/api/v1/certificates/${I.certSuspended.number}/withdraw`, org: I.certSuspended.org, body: { reason_code: 'not_restored', reason: '暂停期满' } }), allow: 'committee' },
    { route: 'POST /api/v1/certificates/{number}/cancel', write: true, hide: true, req: () => ({ path: `/api/v1/certificates/${I.certActive.number}/cancel`, org: I.certActive.org, body: { reason_code: 'service_stopped', reason: '停止服务' } }), allow: 'market' },
    { route: 'POST /api/v1/certificates/{number}/reissue', write: true, hide: true, req: () => ({ path: `/api/v1/certificates/${I.certActive.number}/reissue`, org: I.certActive.org, body: { scope: '更正后的范围', reason_code: 'scope_correction', reason: '更正' } }), allow: 'committee' },
    // certificate.confidential: market (runs the registry) and committee,
    // at the holder's written request; not the holder, not the admin
    { route: 'POST /api/v1/certificates/{number}/confidential', write: true, hide: true, req: () => ({ path: `/api/v1/certificates/${I.certActive.number}/confidential`, org: I.certActive.org, body: { confidential: true, reason: '持证方书面申请' } }), allow: 'market committee' },
    // the deadline list spans every organisation: CB staff only (the
    // store's rule; the route's action certificate.view alone would let
    // enterprises through to it)
    { route: 'GET /api/v1/due', req: () => ({}), allow: OFFICE + ' auditor auditor_other' },
    // ---- the event trail (event.view: admin)
    { route: 'GET /api/v1/events', req: () => ({}), allow: 'admin' },
    { route: 'GET /api/v1/events/verify', req: () => ({}), allow: 'admin' },
  ];
  return rows;
}

// Who plays each column for a request: {column: login or null}.
function cast(r) {
  const team = r.team || [];
  const auditor = team.find((l) => AUDITORS.includes(l)) || 'zhao.qiang';
  const other = AUDITORS.find((l) => !team.includes(l) && l !== auditor);
  const org = r.org ?? ids.certActive.org;
  const own = ids.entOf(org);
  const otherEnt = ids.entOf(org === ids.orgOf(ids.appDocsApproved) ? ids.orgOf(ids.appPlanned) : ids.orgOf(ids.appDocsApproved));
  return { ...STAFF_LOGIN, auditor, auditor_other: other, ent_own: own, ent_other: otherEnt, anonymous: null };
}

async function call(srvUrl, column, login, row) {
  const [method, pattern] = row.route.split(' ');
  const r = row.req({ login });
  const p = r.path || pattern;
  const client = login && !(r.anonymousCredentials && column === 'anonymous') ? clients[login].at(srvUrl) : null;
  const opts = {};
  if (r.raw) {
    opts.body = r.raw;
    opts.type = r.type;
  } else if (r.body !== undefined) opts.json = r.body;
  if (client) return client.request(method, p, opts);
  const { Client } = await import('./lib.mjs');
  return new Client(srvUrl).request(method, p, opts);
}

function check(row, column, res) {
  const allowed = row.allow.split(/\s+/).includes(column);
  const what = `${row.route} as ${column}: ${res.status} ${res.text.slice(0, 160)}`;
  assert.ok(res.status < 500, `no 5xx: ${what}`);
  if (row.pre?.[column]) {
    // the workflow table lets the role act and names a precondition that
    // fails for this caller (e.g. lead_auditor): 422 with that field
    assert.equal(res.status, 422, `precondition ${row.pre[column]}: ${what}`);
    assert.equal(res.json?.error?.field, row.pre[column], what);
    return;
  }
  if (allowed) assert.ok(res.status !== 401 && res.status !== 403, `should be allowed: ${what}`);
  else {
    const denied = [401, 403].concat(row.hide ? [404] : []);
    assert.ok(denied.includes(res.status), `should be denied: ${what}`);
    if (column === 'anonymous') assert.equal(res.status, 401, `anonymous is 401: ${what}`);
  }
}

test('every route of the table has a row in the matrix, and every row is a route', () => {
  const table = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const rows = new Set(matrix().map((r) => r.route));
  assert.deepEqual([...table].filter((k) => !rows.has(k)).sort(), [], 'routes missing from the authorisation matrix');
  assert.deepEqual([...rows].filter((k) => !table.has(k)).sort(), [], 'matrix rows that are not routes');
});

test('read routes: every caller gets what the policy says', async () => {
  const failures = [];
  const srv = await startServer({ from: tpl.db });
  try {
    for (const row of matrix().filter((r) => !r.write)) {
      if (!routes.some((x) => `${x.method} ${x.path}` === row.route)) continue;
      const who = cast(row.req({}));
      for (const column of COLUMNS) {
        const res = await call(srv.url, column, who[column], row);
        results.push([row.route, column, res.status]);
        try {
          check(row, column, res);
        } catch (e) {
          failures.push(e.message);
        }
      }
    }
  } finally {
    await srv.stop();
  }
  assert.deepEqual(failures, []);
});

test('write routes: every caller gets what the policy says (denied first, each route on a fresh copy)', async () => {
  const failures = [];
  for (const row of matrix().filter((r) => r.write)) {
    if (!routes.some((x) => `${x.method} ${x.path}` === row.route)) continue;
    const srv = await startServer({ from: tpl.db });
    try {
      const who = cast(row.req({}));
      const allow = row.allow.split(/\s+/);
      const order = [...COLUMNS.filter((c) => !allow.includes(c)), ...allow];
      for (const column of order) {
        const res = await call(srv.url, column, who[column], row);
        results.push([row.route, column, res.status]);
        try {
          check(row, column, res);
        } catch (e) {
          failures.push(e.message);
        }
      }
    } finally {
      await srv.stop();
    }
  }
  assert.deepEqual(failures, []);
});
