// test_org_update: PATCH /api/v1/organisations/{id}. Market renames an
// organisation and the public registry search follows at once (the new
// name finds it, the old one no longer does); the holder changes its
// address and head count but not its name; the 统一社会信用代码 never
// changes; unknown fields, an empty body, a missing CSRF token are refused,
// and no refusal changes the database.
// Not for: who may call the route in general (test_authz).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { errorOf, startServer } from './lib.mjs';

const BOOKKEEPING = ['sessions', 'login_attempts', 'api_tokens'];

describe('organisation update', () => {
  let srv;
  let market;
  let holder;
  let org;
  before(async () => {
    srv = await startServer({ demo: true });
    org = srv.sql("SELECT c.organisation_id AS id, o.name, o.uscc, c.number FROM certificates c JOIN organisations o ON o.id = c.organisation_id WHERE c.confidential = 0 ORDER BY c.id LIMIT 1")[0];
    const ent = srv.sql(`SELECT login FROM users WHERE role = 'enterprise' AND organisation_id = ${org.id} LIMIT 1`)[0].login;
    market = (await srv.loginAll(['wang.lei'])) ['wang.lei'];
    holder = (await srv.loginAll([ent]))[ent];
  });
  after(async () => {
    await srv?.stop();
  });

  test('refusals change nothing', async () => {
    const before0 = srv.dbDump({ exclude: BOOKKEEPING });
    const p = `/api/v1/organisations/${org.id}`;
    const cases = [
      [holder, { name: '自己改的名字有限公司' }, 403, 'name'],
      [holder, { name_en: null }, 403, 'name_en'],
      [market, { uscc: '91110000802100433B', name: '换码有限公司' }, 422, 'uscc'],
      [market, { phone: '123' }, 422, 'phone'],
      [market, {}, 422, null],
      [market, { employees: 0 }, 422, 'employees'],
      [market, { employees: '12' }, 422, 'employees'],
      [market, { name: '   ' }, 422, 'name'],
    ];
    for (const [client, body, status, field] of cases) {
      const res = await client.patch(p, body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(errorOf(res).field, field, `${JSON.stringify(body)}: ${res.text}`);
    }
    // a cookie-authenticated PATCH without the CSRF token
    const noCsrf = await market.request('PATCH', p, { json: { address: 'x' }, headers: { 'X-CSRF-Token': '' } });
    assert.equal(noCsrf.status, 403, noCsrf.text);
    assert.equal(srv.dbDump({ exclude: BOOKKEEPING }), before0);
  });

  test('the holder changes its address and employees', async () => {
    const res = await holder.patch(`/api/v1/organisations/${org.uscc}`, { address: '新地址 8号', employees: 432 });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.address, '新地址 8号');
    assert.equal(res.json.employees, 432);
    assert.equal(res.json.name, org.name);
    assert.equal(res.json.uscc, org.uscc);
  });

  test('market renames it; the registry search follows', async () => {
    const NEW = '星河云帆售后服务有限公司';
    const res = await market.patch(`/api/v1/organisations/${org.id}`, { name: NEW, name_en: 'Xinghe Yunfan', uscc: org.uscc });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.name, NEW);
    const ev = JSON.parse(srv.sql("SELECT detail FROM events WHERE action = 'organisation.update' ORDER BY id DESC LIMIT 1")[0].detail);
    assert.deepEqual(ev.before, { name: org.name, name_en: null });
    assert.deepEqual(ev.after, { name: NEW, name_en: 'Xinghe Yunfan' });
    const anon = srv.anon();
    for (const q of [NEW, '云帆', '帆']) {
      const r = await anon.get(`/api/v1/registry?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, r.text);
      const hit = r.json.results.find((x) => x.number === org.number);
      assert.ok(hit, `${q} finds ${org.number}`);
      assert.equal(hit.organisation, NEW);
    }
    const old = await anon.get(`/api/v1/registry?q=${encodeURIComponent(org.name)}`);
    assert.ok(!old.json.results.some((x) => x.number === org.number), 'the old name no longer finds it');
    const one = await anon.get(`/api/v1/registry/${org.number}`);
    assert.equal(one.json.organisation, NEW, 'the look-up by number shows the new name');
    const cleared = await market.patch(`/api/v1/organisations/${org.id}`, { name_en: null });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.json.name_en, null);
  });
});
