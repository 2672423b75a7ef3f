// test_server: the server's own behaviour, whatever the routes: /healthz,
// /metrics in the Prometheus text format, 404 and 405 (with Allow), error
// bodies that never leak internals, the caps (413 for bodies, 431 for
// headers), slow clients, a graceful stop with a request in flight, the
// access log, the public registry over HTTP equal to `starcert registry`
// on the same database, and many clients at once.
// Not for: authorisation (test_authz), the lifecycle journey, the
// document (test_openapi).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { cliHas, connect, errorOf, parseRaw, raw, readAll, runCli, sleep, SLOW, startServer } from './lib.mjs';

let srv;
let routes;

before(async () => {
  srv = await startServer({ demo: true, threads: 4 });
  routes = runCli(['routes']).json;
});

after(async () => {
  await srv?.stop();
});

// Words that must never reach a client: SQL, file names, C sources,
// library names, addresses.
const LEAK = /sqlite|\bSQL\b|select |insert |\.c:\d|jansson|microhttpd|\/tmp\/|\/work\/|\.db\b|errno|0x[0-9a-f]{6}|segmentation|assert/i;

function assertCleanError(res, what) {
  assert.ok(res.status >= 400 && res.status < 500, `${what}: 4xx, got ${res.status} ${res.text.slice(0, 200)}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json/, `${what}: JSON error`);
  const e = errorOf(res);
  assert.ok(Object.hasOwn(e, 'field'), `${what}: error.field present (string or null)`);
  assert.ok(e.field === null || typeof e.field === 'string', `${what}: field`);
  assert.doesNotMatch(e.message, LEAK, `${what}: message leaks internals`);
  assert.doesNotMatch(res.text, LEAK, `${what}: body leaks internals`);
  return e;
}

// Does a concrete path match a route pattern ({x} = one non-empty segment)?
function matches(pattern, p) {
  const a = pattern.split('/');
  const b = p.split('/');
  return a.length === b.length && a.every((s, i) => (/^\{.+\}$/.test(s) ? b[i] !== '' : s === b[i]));
}

const concrete = (pattern) => pattern.replace(/\{[^}]+\}/g, '1');

test('GET /healthz answers ok with the schema version', async () => {
  const res = await srv.anon().get('/healthz');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(res.json.status, 'ok');
  assert.ok(Number.isInteger(res.json.schema_version) && res.json.schema_version >= 1);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
});

test('unknown paths are 404 not_found as JSON', async () => {
  const c = srv.anon();
  for (const p of ['/', '/nope', '/api', '/api/v1', '/api/v1/nope', '/api/v2/registry',
    '/api/v1/registry/ASC-2023-000001/extra', '/healthz/x', '//healthz', '/HEALTHZ',
    '/api/v1/' + 'a/'.repeat(20), '/' + 'x'.repeat(600)]) {
    const res = await c.get(p);
    assert.equal(res.status, 404, p);
    const e = assertCleanError(res, p);
    assert.equal(e.code, 'not_found', p);
  }
});

test('a known path with another method is 405 with Allow listing exactly the methods of the table', async () => {
  const c = srv.anon();
  const paths = [...new Set(routes.map((r) => concrete(r.path)))];
  for (const p of paths) {
    const allowed = [...new Set(routes.filter((r) => matches(r.path, p)).map((r) => r.method))].sort();
    for (const m of ['PATCH', 'DELETE', 'PUT', 'POST', 'GET'].filter((x) => !allowed.includes(x)).slice(0, 2)) {
      const res = await c.request(m, p);
      assert.equal(res.status, 405, `${m} ${p}`);
      const e = assertCleanError(res, `${m} ${p}`);
      assert.equal(e.code, 'method_not_allowed');
      const allow = (res.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean).sort();
      assert.deepEqual(allow, allowed, `${m} ${p}: Allow`);
    }
  }
});

test('session routes without credentials are 401 with WWW-Authenticate, never 2xx', async () => {
  const c = srv.anon();
  for (const r of routes.filter((x) => x.auth === 'session')) {
    const p = concrete(r.path);
    const res = await c.request(r.method, p, r.method === 'GET' ? {} : { json: {} });
    assert.equal(res.status, 401, `${r.method} ${p}`);
    const e = assertCleanError(res, `${r.method} ${p}`);
    assert.equal(e.code, 'unauthenticated');
    assert.match(res.headers.get('www-authenticate') || '', /^Bearer/);
  }
});

test('a bearer token or session cookie that the server does not know is 401', async () => {
  const r = routes.find((x) => x.auth === 'session' && x.method === 'GET');
  assert.ok(r, 'a session GET route exists');
  for (const headers of [
    { Authorization: 'Bearer ' + 'A'.repeat(43) },
    { Authorization: 'Bearer ' },
    { Authorization: 'Basic YWRtaW46YWRtaW4=' },
    { Cookie: 'sc_session=' + 'B'.repeat(43) },
    { Cookie: 'sc_session=' },
  ]) {
    const res = await srv.anon().get(concrete(r.path), { headers });
    assert.equal(res.status, 401, JSON.stringify(headers));
    assertCleanError(res, JSON.stringify(headers));
  }
});

test('registry errors name the field and leak nothing', async () => {
  const c = srv.anon();
  const cases = [
    ['/api/v1/registry/NOPE-0000', 404, 'not_found', 'number'],
    ['/api/v1/registry/' + 'X'.repeat(300), null, null, null],
    ['/api/v1/registry/%FF%FE', null, null, null],
    ['/api/v1/registry/%27%20OR%201%3D1--', 404, 'not_found', 'number'],
    ['/api/v1/registry', 422, 'invalid', 'q'],
    ['/api/v1/registry?q=', 422, 'invalid', 'q'],
    ['/api/v1/registry?q=%20%20', 422, 'invalid', 'q'],
    ['/api/v1/registry?q=' + 'a'.repeat(201), 422, 'invalid', 'q'],
    ['/api/v1/registry?q=%FF', 422, 'invalid', 'q'],
    ['/api/v1/registry?q=a%01b', 422, 'invalid', 'q'],
    ['/api/v1/registry?q=x&limit=0', 422, 'invalid', 'limit'],
    ['/api/v1/registry?q=x&limit=101', 422, 'invalid', 'limit'],
    ['/api/v1/registry?q=x&limit=abc', 422, 'invalid', 'limit'],
    ['/api/v1/registry?q=x&limit=1e2', 422, 'invalid', 'limit'],
    ['/api/v1/registry?q=x&limit=', 422, 'invalid', 'limit'],
    ['/api/v1/registry?q=x&limit=99999999999999999999', 422, 'invalid', 'limit'],
  ];
  for (const [p, status, code, field] of cases) {
    const res = await c.get(p);
    const e = assertCleanError(res, p);
    if (status) assert.equal(res.status, status, p);
    if (code) assert.equal(e.code, code, p);
    if (field) assert.equal(e.field, field, p);
  }
});

test('FTS query syntax in ?q= is matched literally, never an error', async () => {
  const c = srv.anon();
  for (const q of ['"', '""', 'OR', 'a OR b', 'NEAR(a b)', '*', '-', '^', ':', 'a:b', '海纳*', "'", ';', '\\', '%', '_']) {
    const res = await c.get('/api/v1/registry?q=' + encodeURIComponent(q));
    assert.equal(res.status, 200, `q=${q}: ${res.text.slice(0, 200)}`);
    assert.ok(Array.isArray(res.json.results), q);
  }
});

test('the registry over HTTP equals `starcert registry get` for every certificate', async () => {
  const numbers = srv.sql('SELECT number FROM certificates ORDER BY number').map((r) => r.number);
  assert.ok(numbers.length >= 9, 'the demo has certificates');
  const c = srv.anon();
  for (const n of numbers) {
    const cli = srv.cli(['registry', 'get', n]);
    assert.equal(cli.code, 0, n);
    const res = await c.get('/api/v1/registry/' + encodeURIComponent(n));
    assert.equal(res.status, 200, n);
    assert.deepEqual(res.json, cli.json, n);
  }
  const cli = srv.cli(['registry', 'get', 'ASC-1999-999999']);
  assert.equal(cli.code, 1);
  const res = await c.get('/api/v1/registry/ASC-1999-999999');
  assert.equal(res.status, 404);
  assert.deepEqual(res.json, cli.json, 'the same error object');
});

test('the registry search over HTTP equals `starcert registry search`', async () => {
  const c = srv.anon();
  const uscc = srv.sql("SELECT uscc FROM organisations WHERE name LIKE '青岛海纳%'")[0].uscc;
  const queries = [
    ['海纳'], ['海'], ['有限公司'], ['有限公司', '3'], ['有限公司', '100'], ['青岛海纳电器有限公司'],
    [uscc], [uscc.toLowerCase()], ['ASC-2023-000001'], ['  海纳　'], ['nothing-like-this'], ['电器'],
    ['科技'], ['A'], ['ASC'],
  ];
  for (const [q, limit] of queries) {
    const args = ['registry', 'search', q];
    if (limit) args.push('--limit', limit);
    const cli = srv.cli(args);
    assert.equal(cli.code, 0, `${q}: ${cli.stdout}`);
    let p = '/api/v1/registry?q=' + encodeURIComponent(q);
    if (limit) p += '&limit=' + limit;
    const res = await c.get(p);
    assert.equal(res.status, 200, q);
    assert.deepEqual(res.json, { results: cli.json }, `q=${q} limit=${limit}`);
  }
  // The default limit is 20 (docs/registry.md).
  const all = await c.get('/api/v1/registry?q=' + encodeURIComponent('公司'));
  assert.ok(all.json.results.length <= 20);
});

test('many clients at once all get their own correct answers', async () => {
  const numbers = srv.sql('SELECT number FROM certificates ORDER BY number').map((r) => r.number);
  const expected = new Map(numbers.map((n) => [n, srv.cli(['registry', 'get', n]).json]));
  // 40 raw connections at once, each its own socket (first: fetch keeps
  // its connections open, and one address may hold 64)
  const socks = await Promise.all(Array.from({ length: 40 }, () => connect(srv.port)));
  const answers = await Promise.all(socks.map(async (s, i) => {
    const n = numbers[i % numbers.length];
    const p = readAll(s);
    s.write(`GET /api/v1/registry/${n} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
    const r = parseRaw((await p).text);
    s.destroy();
    return [n, r];
  }));
  for (const [n, r] of answers) {
    assert.equal(r.status, 200, n);
    assert.deepEqual(JSON.parse(r.body), expected.get(n), n);
  }
  // 400 requests from 16 clients at a time (fewer than the 64 connections
  // one address may hold: fetch keeps its connections open)
  const jobs = [];
  for (let i = 0; i < 400; i++) {
    const n = numbers[i % numbers.length];
    const kind = i % 4;
    jobs.push(async () => {
      if (kind === 3) {
        const res = await srv.anon().get('/healthz');
        assert.equal(res.status, 200);
      } else if (kind === 2) {
        const res = await srv.anon().get('/api/v1/registry?q=' + encodeURIComponent(n));
        assert.equal(res.status, 200);
        assert.deepEqual(res.json.results[0], expected.get(n), n);
      } else {
        const res = await srv.anon().get('/api/v1/registry/' + n);
        assert.equal(res.status, 200);
        assert.deepEqual(res.json, expected.get(n), n);
      }
    });
  }
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < jobs.length) await jobs[next++]();
  }));
});

test('/metrics is Prometheus text: typed families, counters that count, cumulative buckets', async () => {
  const c = srv.anon();
  const read = async () => {
    const res = await c.get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    return res.text;
  };
  const count = (text, route) => {
    const m = new RegExp(`^starcert_http_requests_total\\{route="${route}"\\} (\\d+)$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  const before0 = await read();
  for (let i = 0; i < 3; i++) await c.get('/healthz');
  await c.get('/no/such/path');
  const text = await read();
  assert.equal(count(text, 'healthz'), count(before0, 'healthz') + 3, 'healthz counted 3 more');
  assert.ok(count(text, 'unmatched') >= 1, 'unmatched requests counted');

  // Syntax: every sample line belongs to a family declared by # TYPE before it.
  const types = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let m;
    if ((m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line))) {
      assert.ok(!types.has(m[1]), `family ${m[1]} declared twice`);
      types.set(m[1], m[2]);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, (s) => (types.has(m[1]) ? s : ''));
    assert.ok(types.has(m[1]) || types.get(family) === 'histogram', `${m[1]} has no # TYPE`);
    assert.ok(!Number.isNaN(Number(m[4].replace('+Inf', 'Infinity'))), `value ${m[4]}`);
  }
  assert.equal(types.get('starcert_http_requests_total'), 'counter');
  assert.equal(types.get('starcert_http_request_duration_seconds'), 'histogram');
  // Histogram: cumulative buckets, +Inf = _count, for healthz.
  const buckets = [...text.matchAll(/^starcert_http_request_duration_seconds_bucket\{route="healthz",le="([^"]+)"\} (\d+)$/gm)]
    .map((m) => [m[1], Number(m[2])]);
  assert.ok(buckets.length >= 2);
  for (let i = 1; i < buckets.length; i++) {
    assert.ok(buckets[i][1] >= buckets[i - 1][1], 'cumulative');
    if (buckets[i][0] !== '+Inf') assert.ok(Number(buckets[i][0]) > Number(buckets[i - 1][0]), 'le increasing');
  }
  assert.equal(buckets.at(-1)[0], '+Inf');
  const cnt = /^starcert_http_request_duration_seconds_count\{route="healthz"\} (\d+)$/m.exec(text);
  assert.equal(Number(cnt[1]), buckets.at(-1)[1]);
  assert.equal(Number(cnt[1]), count(text, 'healthz'));
});

test('a body over the cap (21 MiB) is 413 too_large, streamed or declared', async () => {
  const post = routes.find((r) => r.method === 'POST');
  assert.ok(post, 'some POST route');
  const p = concrete(post.path);
  // streamed: 22 MiB in chunks without a Content-Length
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  let sent = 0;
  const stream = new ReadableStream({
    pull(ctl) {
      if (sent >= 22) return ctl.close();
      sent++;
      ctl.enqueue(chunk);
    },
  });
  const res = await srv.anon().request('POST', p, { body: stream, type: 'application/json' });
  assert.equal(res.status, 413, `${p}: ${res.text.slice(0, 200)}`);
  assert.equal(assertCleanError(res, 'streamed').code, 'too_large');
  // one buffer with its Content-Length
  const big = Buffer.alloc(21 * 1024 * 1024 + 1, 0x20);
  const res2 = await srv.anon().request('POST', p, { body: big, type: 'application/json' });
  assert.equal(res2.status, 413);
  assert.equal(assertCleanError(res2, 'declared').code, 'too_large');
});

test('a declared Content-Length over the cap with Expect: 100-continue is answered 413 at once', async () => {
  // A client that asks before sending (curl does for large bodies) is told
  // 413 instead of "100 Continue"; one that sends anyway gets its 413 after
  // the body was read and dropped (the test above), so it can read it.
  const post = routes.find((r) => r.method === 'POST');
  const r = await raw(srv.port, `POST ${concrete(post.path)} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n` +
    `Content-Length: 100000000\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`, 3000 * SLOW);
  const res = parseRaw(r.text);
  assert.equal(res.status, 413, `answered within ${r.ms} ms: ${JSON.stringify(r.text.slice(0, 200))}`);
  assert.equal(JSON.parse(res.body).error.code, 'too_large');
  // below the cap the same request is told to go on
  const ok = await raw(srv.port, `POST ${concrete(post.path)} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n` +
    `Content-Length: 2\r\nExpect: 100-continue\r\n\r\n`, 1000 * SLOW);
  assert.equal(parseRaw(ok.text).status, 100);
});

test('a header over the cap is refused with 431 and the connection closed', async () => {
  const r = await raw(srv.port, `GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\nConnection: close\r\n\r\n`);
  assert.ok(r.closed, 'closed');
  assert.equal(parseRaw(r.text).status, 431);
  // and the server still serves
  assert.equal((await srv.anon().get('/healthz')).status, 200);
});

test('garbage on the wire does not hurt the server', async () => {
  for (const junk of ['GARBAGE\r\n\r\n', 'GET\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', '\x00\x01\x02\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']) {
    const r = await raw(srv.port, junk, 3000 * SLOW);
    const st = parseRaw(r.text).status;
    assert.ok(st === 0 || (st >= 400 && st < 500) || st === 505, `${JSON.stringify(junk)} → ${st}`);
  }
  assert.equal((await srv.anon().get('/healthz')).status, 200);
});

test('one address may hold 64 connections; the 65th is closed unanswered', async () => {
  const s2 = await startServer({});
  const idle = [];
  try {
    for (let i = 0; i < 64; i++) idle.push(await connect(s2.port));
    await sleep(200 * SLOW);
    const over = await raw(s2.port, 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', 3000 * SLOW);
    assert.ok(over.closed, 'closed');
    assert.equal(parseRaw(over.text).status, 0, 'no answer over the cap');
    // one more idle connection in use: it is served
    const p = readAll(idle[0], 3000 * SLOW);
    idle[0].write('GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    assert.equal(parseRaw((await p).text).status, 200);
    idle.shift().destroy();
    idle.pop().destroy();
    await sleep(200 * SLOW);
    const again = await raw(s2.port, 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', 3000 * SLOW);
    assert.equal(parseRaw(again.text).status, 200, 'served again below the cap');
  } finally {
    for (const s of idle) s.destroy();
    await s2.stop();
  }
});

test('a slow client is dropped after the connection timeout', async (t) => {
  if (!cliHas(['serve'], '--timeout')) {
    t.skip('starcert serve has no --timeout option yet (the default is 30 s)');
    return;
  }
  const s2 = await startServer({ args: ['--timeout', '1'] });
  try {
    const sock = await connect(s2.port);
    const p = readAll(sock, 10000 * SLOW);
    sock.write('GET /healthz HTTP/1.1\r\nHost: t\r\n'); // never finished
    const r = await p;
    assert.ok(r.closed, 'the server closed the connection');
    assert.ok(r.ms >= 800 && r.ms < 6000 * SLOW, `closed after ${r.ms} ms`);
    sock.destroy();
    assert.equal((await s2.anon().get('/healthz')).status, 200);
  } finally {
    await s2.stop();
  }
});

test('SIGTERM with an upload in flight: the response completes, new connections are refused, exit 0', async () => {
  const s2 = await startServer({});
  let sock;
  try {
    sock = await connect(s2.port);
    const p = readAll(sock, 15000 * SLOW);
    const total = 64 * 1024;
    sock.write(`POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${total}\r\nConnection: close\r\n\r\n`);
    sock.write(' '.repeat(total / 2));
    await sleep(300 * SLOW);
    s2.signal('SIGTERM');
    await sleep(500 * SLOW);
    // the listening socket is closed: nobody would ever answer there
    let refusedNew = false;
    try {
      const late = await connect(s2.port);
      late.destroy();
    } catch (e) {
      refusedNew = e.code === 'ECONNREFUSED';
    }
    sock.write(' '.repeat(total / 2));
    const r = await p;
    const res = parseRaw(r.text);
    assert.equal(res.status, 405, `the in-flight request was answered: ${JSON.stringify(r.text.slice(0, 200))}`);
    assert.equal(res.headers.allow, 'GET');
    assert.equal(JSON.parse(res.body).error.code, 'method_not_allowed');
    assert.ok(refusedNew, 'a new connection after SIGTERM is refused (ECONNREFUSED)');
  } finally {
    sock?.destroy();
    const e = await s2.stop();
    assert.equal(e.code, 0);
  }
});

test('the access log has one line per request: method, path, status, bytes, microseconds', async () => {
  const s2 = await startServer({ quiet: false });
  try {
    const c = s2.anon();
    const h = await c.get('/healthz');
    const nf = await c.get('/nope?secret=1');
    const ma = await c.post('/healthz', {});
    const q = await c.get('/api/v1/registry?q=x');
    // the last line is written once its response has gone out: wait for it
    for (const end = Date.now() + 5000 * SLOW; s2.log().length < 4 && Date.now() < end;) await sleep(20);
    await sleep(100);
    const lines = s2.log();
    assert.equal(lines.length, 4, lines.join('\n'));
    const re = /^(GET|POST) (\S+) (\d{3}) (\d+) (\d+)$/;
    const parsed = lines.map((l) => {
      const m = re.exec(l);
      assert.ok(m, `log line format: ${l}`);
      return { method: m[1], path: m[2], status: Number(m[3]), bytes: Number(m[4]), us: Number(m[5]) };
    });
    const want = [
      ['GET', '/healthz', 200, h],
      ['GET', '/nope', 404, nf],
      ['POST', '/healthz', 405, ma],
      ['GET', '/api/v1/registry', 200, q],
    ];
    // A line is written when its response has been sent, possibly by another
    // worker than the next request's, so two lines may swap: match by request.
    const key = (method, path) => `${method} ${path}`;
    const byKey = new Map(parsed.map((p) => [key(p.method, p.path), p]));
    assert.equal(byKey.size, want.length, lines.join('\n'));
    want.forEach(([method, path, status, res]) => {
      const p = byKey.get(key(method, path));
      assert.ok(p, `a line for ${method} ${path} (the path without the query string): ${lines.join(' | ')}`);
      assert.equal(p.status, status);
      assert.equal(p.bytes, res.bytes.length, 'bytes = body length');
      assert.ok(p.us > 0 && p.us < 10_000_000, 'microseconds');
    });
  } finally {
    await s2.stop();
  }
});

test('the server stops on SIGTERM with exit code 0', async () => {
  const e = await srv.stop();
  assert.equal(e.code, 0);
});
