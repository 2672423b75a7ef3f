// test_registry_cache: GET /api/v1/registry/{number} answers from a cache
// of rendered JSON (src/store/registry_cache.h), and must still show every
// change on the very next request: a suspension by the CLI (another
// process), the daily clock run far ahead (another process), a suspension
// through the API on another connection (another worker thread, or the
// same thread's own connection when the server has one thread), and a
// number that was not found and is then imported. After each change the
// HTTP answer equals `starcert registry get` on the same database, byte
// for byte as JSON, on every keep-alive connection that had already
// cached the old answer.
// Not for: who may suspend (test_authz) or the registry's JSON shape.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { connect, startServer } from './lib.mjs';

const COMMITTEE = 'zheng.guoping';
let srv;
let committee;

before(async () => {
  srv = await startServer({ demo: true, threads: 4 });
  committee = (await srv.loginAll([COMMITTEE]))[COMMITTEE];
});

after(async () => {
  if (srv) await srv.stop();
});

// A keep-alive HTTP/1.1 connection that sends GETs one at a time: each
// connection stays on the worker thread that accepted it.
async function keepAlive(port) {
  const sock = await connect(port);
  let buf = Buffer.alloc(0);
  let waiting = null;
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    if (waiting) waiting();
  });
  const nextResponse = () =>
    new Promise((resolve, reject) => {
      const tryParse = () => {
        const i = buf.indexOf('\r\n\r\n');
        if (i < 0) return false;
        const head = buf.subarray(0, i).toString('latin1');
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        const len = m ? Number(m[1]) : 0;
        if (buf.length < i + 4 + len) return false;
        const body = buf.subarray(i + 4, i + 4 + len).toString('utf8');
        buf = buf.subarray(i + 4 + len);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] || 0);
        resolve({ status, body, json: body ? JSON.parse(body) : undefined });
        return true;
      };
      if (tryParse()) return;
      const timer = setTimeout(() => reject(new Error('no response within 10 s')), 10000);
      waiting = () => {
        if (tryParse()) {
          clearTimeout(timer);
          waiting = null;
        }
      };
    });
  return {
    async get(p) {
      sock.write(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      return nextResponse();
    },
    close() {
      sock.destroy();
    },
  };
}

// n keep-alive connections, each having asked for every path once (so
// every worker thread that holds one of them has looked the numbers up).
async function warmConnections(port, n, paths) {
  const conns = [];
  for (let i = 0; i < n; i++) conns.push(await keepAlive(port));
  for (const c of conns) for (const p of paths) await c.get(p);
  return conns;
}

// The CLI's view of a certificate (the registry's JSON object).
function cliView(s, number) {
  const r = s.cli(['registry', 'get', number], { today: false });
  assert.equal(r.code, 0, `starcert registry get ${number}: ${r.stdout} ${r.stderr}`);
  return r.json;
}

function activeNumbers(s, n) {
  return s
    .sql(`SELECT number FROM certificates WHERE state = 'active' ORDER BY id LIMIT ${n}`)
    .map((r) => r.number);
}

// Every connection, and a fresh anonymous fetch, now answers `expected`.
async function allSee(conns, s, number, expected, what) {
  for (const [i, c] of conns.entries()) {
    const r = await c.get(`/api/v1/registry/${number}`);
    assert.equal(r.status, 200, `${what}: connection ${i}: ${r.body}`);
    assert.deepEqual(r.json, expected, `${what}: connection ${i} answers the old certificate`);
  }
  const r = await s.anon().get(`/api/v1/registry/${number}`);
  assert.equal(r.status, 200, `${what}: fetch: ${r.text}`);
  assert.deepEqual(r.json, expected, `${what}: a new connection answers the old certificate`);
}

test('the answer is the CLI\'s object, and the same on a second (cached) request', async () => {
  const [n] = activeNumbers(srv, 1);
  const first = await srv.anon().get(`/api/v1/registry/${n}`);
  const second = await srv.anon().get(`/api/v1/registry/${n}`);
  assert.equal(first.status, 200, first.text);
  assert.equal(second.status, 200, second.text);
  assert.equal(second.text, first.text, 'the cached bytes are the bytes first sent');
  assert.deepEqual(first.json, cliView(srv, n));
  assert.equal(first.json.status, 'active');
  assert.match(first.headers.get('content-type'), /^application\/json/);
  assert.equal(first.headers.get('cache-control'), 'no-store');
});

// The registry cache's counters from /metrics.
async function cacheCounters(s) {
  const text = (await s.anon().get('/metrics')).text;
  const num = (re) => Number(re.exec(text)?.[1] ?? NaN);
  return {
    hit: num(/^starcert_registry_cache_lookups_total\{result="hit"\} (\d+)$/m),
    miss: num(/^starcert_registry_cache_lookups_total\{result="miss"\} (\d+)$/m),
    mark: num(/^starcert_registry_cache_checks_total\{by="mark"\} (\d+)$/m),
    database: num(/^starcert_registry_cache_checks_total\{by="database"\} (\d+)$/m),
  };
}

test('with no commit in between, repeated look-ups are hits checked by the log mark alone', async () => {
  const numbers = activeNumbers(srv, 3);
  const c = await keepAlive(srv.port);
  try {
    for (const n of numbers) assert.equal((await c.get(`/api/v1/registry/${n}`)).status, 200);
    const before0 = await cacheCounters(srv);
    for (let round = 0; round < 10; round++)
      for (const n of numbers) assert.equal((await c.get(`/api/v1/registry/${n}`)).status, 200);
    const now = await cacheCounters(srv);
    assert.equal(now.hit - before0.hit, 30, 'every repeated look-up is a hit');
    assert.equal(now.miss, before0.miss, 'no miss');
    // the /metrics request itself changes nothing in the database; the
    // connection asked the database when it first saw this state, and
    // since then the mark has answered
    assert.equal(now.mark - before0.mark, 30, 'every check answered by the mark');
    assert.equal(now.database, before0.database, 'no read transaction');
  } finally {
    c.close();
  }
});

test('a suspension by the CLI (another process) shows on the very next request, on every connection', async () => {
  const [n, other] = activeNumbers(srv, 2);
  const conns = await warmConnections(srv.port, 8, [`/api/v1/registry/${n}`, `/api/v1/registry/${other}`]);
  try {
    const before0 = await conns[0].get(`/api/v1/registry/${n}`);
    assert.equal(before0.json.status, 'active');
    srv.must(['certificate', 'suspend', n, '--reason-code', 'serious_nonconformity',
      '--reason', '投诉较多，暂停认证', '--as', COMMITTEE]);
    const expected = cliView(srv, n);
    assert.equal(expected.status, 'suspended', 'the rulebook: suspend moves active -> suspended');
    await allSee(conns, srv, n, expected, 'after the CLI suspension');
    // the other certificate did not change, and is still answered right
    await allSee(conns, srv, other, cliView(srv, other), 'the untouched certificate');
    assert.equal(cliView(srv, other).status, 'active');
  } finally {
    for (const c of conns) c.close();
  }
});

test('a suspension through the API (another connection and worker thread) shows at once on the others', async () => {
  const [n] = activeNumbers(srv, 1);
  // the writer's own connection has asked too (its thread knows the
  // database as it was)
  assert.equal((await committee.get(`/api/v1/registry/${n}`)).json.status, 'active');
  const conns = await warmConnections(srv.port, 8, [`/api/v1/registry/${n}`]);
  try {
    const res = await committee.post(`/api/v1/certificates/${n}/suspend`, {
      reason_code: 'misuse_of_mark',
      reason: '违规使用认证标志',
    });
    assert.equal(res.status, 200, res.text);
    const expected = cliView(srv, n);
    assert.equal(expected.status, 'suspended');
    await allSee(conns, srv, n, expected, 'after the API suspension');
  } finally {
    for (const c of conns) c.close();
  }
});

test('a number not found, then imported, is found on the very next request', async () => {
  const org = srv.sql("SELECT o.name, o.uscc, o.address FROM organisations o JOIN certificates c ON c.organisation_id = o.id LIMIT 1")[0];
  const number = 'ASC-2024-990001';
  const conns = await warmConnections(srv.port, 4, [`/api/v1/registry/${number}`]);
  try {
    for (const c of conns) {
      const r = await c.get(`/api/v1/registry/${number}`);
      assert.equal(r.status, 404, r.body);
      assert.equal(r.json.error.code, 'not_found');
    }
    const head = 'number,organisation,uscc,address,employees,level,score,status,status_since,initial_issued,cycle_start,issued,expires,last_surveillance,surveillance_count,scope,outlets,confidential';
    const row = `${number},${org.name},${org.uscc},${org.address || '某地'},100,three_star,85.0,active,,2024-01-01,2024-01-01,2024-01-01,2026-12-31,,0,家用电器的安装与维修,,0`;
    const r = srv.cli(['import', '-', '--as', srv.admin], { input: `${head}\n${row}\n` });
    assert.equal(r.code, 0, `import: ${r.stdout} ${r.stderr}`);
    assert.equal(r.json.loaded, 1, r.stdout);
    const expected = cliView(srv, number);
    assert.equal(expected.status, 'active');
    await allSee(conns, srv, number, expected, 'after the import');
  } finally {
    for (const c of conns) c.close();
  }
});

test('the daily clock run far ahead (another process) shows on the very next request', async () => {
  const numbers = activeNumbers(srv, 3);
  const paths = numbers.map((n) => `/api/v1/registry/${n}`);
  const conns = await warmConnections(srv.port, 6, paths);
  try {
    for (const n of numbers) assert.equal((await conns[0].get(`/api/v1/registry/${n}`)).json.status, 'active');
    const r = srv.cli(['tick', '--today', '2045-01-01'], { today: false });
    assert.equal(r.code, 0, `tick: ${r.stdout} ${r.stderr}`);
    for (const n of numbers) {
      const expected = cliView(srv, n);
      // twenty years on, no three-year certificate is still active
      assert.notEqual(expected.status, 'active', `${n} after the clock`);
      await allSee(conns, srv, n, expected, `${n} after the clock`);
    }
  } finally {
    for (const c of conns) c.close();
  }
});

test('a write on the same worker thread\'s own connection shows on its next request (one thread)', async () => {
  const one = await startServer({ demo: true, threads: 1 });
  try {
    const member = (await one.loginAll([COMMITTEE]))[COMMITTEE];
    const [n] = activeNumbers(one, 1);
    const conn = await keepAlive(one.port);
    try {
      for (let i = 0; i < 3; i++) assert.equal((await conn.get(`/api/v1/registry/${n}`)).json.status, 'active');
      // the same thread, the same store connection: PRAGMA data_version
      // does not move for a connection's own commits
      const res = await member.post(`/api/v1/certificates/${n}/suspend`, {
        reason_code: 'holder_request',
        reason: '持证单位申请暂停',
      });
      assert.equal(res.status, 200, res.text);
      const r = await conn.get(`/api/v1/registry/${n}`);
      assert.equal(r.json.status, 'suspended', r.body);
      assert.deepEqual(r.json, cliView(one, n));
    } finally {
      conn.close();
    }
  } finally {
    await one.stop();
  }
});

test('many cached look-ups of many numbers stay equal to the CLI (eviction and reuse)', async () => {
  const numbers = srv.sql('SELECT number FROM certificates ORDER BY id').map((r) => r.number);
  const conns = await warmConnections(srv.port, 4, numbers.map((n) => `/api/v1/registry/${n}`));
  try {
    for (const n of numbers) {
      const expected = cliView(srv, n);
      for (const c of conns) assert.deepEqual((await c.get(`/api/v1/registry/${n}`)).json, expected, n);
    }
  } finally {
    for (const c of conns) c.close();
  }
});
