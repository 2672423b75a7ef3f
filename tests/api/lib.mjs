// lib: the harness every API test uses. It makes a temporary directory, a
// fresh database (`starcert init`, optionally `starcert demo`), users with
// passwords through the command line, starts a real `starcert serve` on a
// free loopback port, and gives clients that speak to it: anonymous, with a
// session (cookie + CSRF token kept) or with a bearer token. It also runs
// the CLI on the same database (to prepare data or compare outputs) and
// takes a fingerprint of the database (sha256 of `sqlite3 DB .dump`) to
// prove that a refused request changed nothing.
// Not for: assertions about the API (the test files make those). No npm
// packages: node:test, node:assert, global fetch, child_process, net.
//
// The binary is $STARCERT (default build/starcert, relative to the
// repository root). A server that does not exit 0 on SIGTERM fails the
// test that stops it.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const BIN = path.resolve(ROOT, process.env.STARCERT || 'build/starcert');
// Sanitizer builds start slower and run slower.
export const SLOW = /\/san\//.test(BIN) ? 4 : 1;
export const TODAY = '2025-06-30';
export const PASSWORD = 'correct horse battery staple';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs the CLI synchronously: {code, stdout, stderr, json} (json: stdout
// parsed, or undefined when it is not JSON).
export function runCli(args, { input, env } = {}) {
  const r = spawnSync(BIN, args, {
    input,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  let json;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, json };
}

// Does `starcert CMD --help` mention this text? (For optional features of
// the build under test.)
export function cliHas(cmd, text) {
  const r = runCli([...cmd, '--help']);
  return r.code === 0 && r.stdout.includes(text);
}

// ---- HTTP clients ---------------------------------------------------------

// One HTTP exchange: {status, headers, text, json}. `json` sends a JSON body
// (Content-Type application/json) unless `body` is given (raw, with
// `type`).
async function exchange(base, method, p, opts, extraHeaders) {
  const headers = { ...extraHeaders, ...(opts.headers || {}) };
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['Content-Type'] ??= 'application/json';
  }
  if (opts.type) headers['Content-Type'] = opts.type;
  const res = await fetch(base + p, { method, headers, body, redirect: 'manual', duplex: 'half' });
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  let json;
  if ((res.headers.get('content-type') || '').startsWith('application/json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, headers: res.headers, text, json, bytes: buf };
}

export class Client {
  // kind: 'anonymous', 'session' (cookie + csrf) or 'bearer' (token).
  constructor(base, { cookie, csrf, token, login } = {}) {
    this.base = base;
    this.cookie = cookie;
    this.csrf = csrf;
    this.token = token;
    this.login = login;
  }

  headers(method) {
    const h = {};
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    if (this.cookie) h.Cookie = this.cookie;
    if (this.cookie && this.csrf && method !== 'GET' && method !== 'HEAD')
      h['X-CSRF-Token'] = this.csrf;
    return h;
  }

  // The same credentials against another server (a copy of the database).
  at(url) {
    return new Client(url, { cookie: this.cookie, csrf: this.csrf, token: this.token, login: this.login });
  }

  request(method, p, opts = {}) {
    return exchange(this.base, method, p, opts, this.headers(method));
  }
  get(p, opts) {
    return this.request('GET', p, opts);
  }
  post(p, json, opts = {}) {
    return this.request('POST', p, json === undefined ? opts : { ...opts, json });
  }
  put(p, json, opts = {}) {
    return this.request('PUT', p, json === undefined ? opts : { ...opts, json });
  }
  patch(p, json, opts = {}) {
    return this.request('PATCH', p, json === undefined ? opts : { ...opts, json });
  }
  delete(p, opts) {
    return this.request('DELETE', p, opts);
  }
}

// The session cookie and CSRF token from a log-in response.
function sessionFrom(res) {
  const set = typeof res.headers.getSetCookie === 'function'
    ? res.headers.getSetCookie()
    : [res.headers.get('set-cookie') || ''];
  let cookie;
  for (const c of set) {
    const m = /^\s*(sc_session=[^;]*)/.exec(c);
    if (m) cookie = m[1];
  }
  const j = res.json || {};
  const csrf = j.csrf_token ?? j.csrf ?? j.session?.csrf_token ?? j.session?.csrf ??
    res.headers.get('x-csrf-token') ?? undefined;
  return { cookie, csrf };
}

// ---- raw sockets (for what fetch cannot send) -----------------------------

// Opens a TCP connection to the server; the caller writes and reads.
export function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

// Collects everything a socket sends until it closes (or `ms` elapse):
// {text, closed, ms}.
export function readAll(sock, ms = 10000) {
  return new Promise((resolve) => {
    const chunks = [];
    const t0 = Date.now();
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closed, ms: Date.now() - t0 });
    };
    const timer = setTimeout(() => finish(false), ms);
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
  });
}

// Sends `data` on a fresh connection and returns what came back before the
// server closed it. `data` ends with "Connection: close" requests.
export async function raw(port, data, ms = 10000) {
  const s = await connect(port);
  const p = readAll(s, ms);
  s.write(data);
  const r = await p;
  s.destroy();
  return r;
}

// Splits a raw HTTP/1.1 response: {status, headers (lower-case names), body}.
export function parseRaw(text) {
  const i = text.indexOf('\r\n\r\n');
  const head = i < 0 ? text : text.slice(0, i);
  const body = i < 0 ? '' : text.slice(i + 4);
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] || '');
  const headers = {};
  for (const l of lines.slice(1)) {
    const k = l.indexOf(':');
    if (k > 0) headers[l.slice(0, k).trim().toLowerCase()] = l.slice(k + 1).trim();
  }
  return { status: m ? Number(m[1]) : 0, headers, body };
}

// ---- the server -----------------------------------------------------------

/*
 * Starts a server on a fresh database. Options:
 *   demo: true       fill it with `starcert demo` (docs/demo.md) first
 *   today: DATE      the fixed day of the demo and of every request
 *                    (default TODAY); null: the clock
 *   users: [{login, name, role, org, password}]  added by the CLI as the
 *                    admin (the first one without an actor must be admin)
 *   quiet: false     keep the access log (lines in srv.log())
 *   threads: N, args: [...], env: {...}  passed to `starcert serve`
 *   db: PATH         use this existing database instead (not removed)
 *   from: PATH       start on a copy of this database (e.g. one prepared
 *                    with users, passwords and sessions: log-ins made
 *                    against it stay valid, see Client.at)
 *   admin: LOGIN     the admin the harness acts as (addUser); the demo's
 *                    is chen.jing
 * Returns a server object (see below).
 */
export async function startServer(opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'starcert-api-'));
  const today = opts.today === undefined ? TODAY : opts.today;
  const db = opts.db || path.join(dir, 'api.db');
  if (opts.from) {
    // a copy of a prepared database (its sessions and tokens included)
    fs.copyFileSync(opts.from, db);
    for (const ext of ['-wal', '-shm'])
      if (fs.existsSync(opts.from + ext)) fs.copyFileSync(opts.from + ext, db + ext);
  }
  const portFile = path.join(dir, 'port');
  const srv = new Server({ dir, db, today, portFile, ownDb: !opts.db });
  srv.admin = opts.admin || (opts.demo ? 'chen.jing' : null);
  if (!opts.db && !opts.from) {
    if (opts.demo) {
      const args = ['demo', '--db', db];
      if (today) args.push('--today', today);
      srv.mustCli(args);
    } else {
      srv.mustCli(['init', '--db', db]);
    }
  }
  for (const u of opts.users || []) srv.addUser(u);
  await srv.start(opts);
  return srv;
}

export class Server {
  constructor({ dir, db, today, portFile, ownDb }) {
    this.dir = dir;
    this.db = db;
    this.today = today;
    this.portFile = portFile;
    this.ownDb = ownDb;
    this.admin = null; // login of an admin the harness may act as
    this.logLines = [];
    this.stderr = '';
  }

  async start(opts = {}) {
    fs.rmSync(this.portFile, { force: true });
    const args = ['serve', '--db', this.db, '--listen', '127.0.0.1:0', '--port-file', this.portFile];
    if (this.today) args.push('--today', this.today);
    if (opts.quiet !== false) args.push('--quiet');
    if (opts.threads) args.push('--threads', String(opts.threads));
    args.push(...(opts.args || []));
    this.proc = spawn(BIN, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...(opts.env || {}) },
    });
    let pending = '';
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (d) => {
      pending += d;
      let k;
      while ((k = pending.indexOf('\n')) >= 0) {
        this.logLines.push(pending.slice(0, k));
        pending = pending.slice(k + 1);
      }
    });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d) => {
      this.stderr += d;
    });
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => resolve({ code, signal }));
    });
    let exitInfo = null;
    this.exited.then((e) => {
      exitInfo = e;
    });
    const deadline = Date.now() + 15000 * SLOW;
    for (;;) {
      if (exitInfo)
        throw new Error(`starcert serve exited (${JSON.stringify(exitInfo)}) before listening:\n${this.stderr}`);
      let text = '';
      try {
        text = fs.readFileSync(this.portFile, 'utf8');
      } catch {
        /* not yet */
      }
      if (/^\d+\n$/.test(text)) {
        this.port = Number(text.trim());
        break;
      }
      if (Date.now() > deadline) {
        this.proc.kill('SIGKILL');
        throw new Error(`starcert serve did not write its port file:\n${this.stderr}`);
      }
      await sleep(20);
    }
    this.url = `http://127.0.0.1:${this.port}`;
    this.running = true;
    return this;
  }

  // Sends SIGTERM and waits; throws unless the exit code is 0. Returns
  // {code, signal}. Calling it twice is harmless. Removes the temporary
  // directory unless keep is set (or $STARCERT_KEEP).
  async stop({ keep = false } = {}) {
    if (!this.proc) return { code: 0 };
    if (this.running) {
      this.running = false;
      this.proc.kill('SIGTERM');
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20000 * SLOW);
    const e = await this.exited;
    clearTimeout(timer);
    if (!keep && !process.env.STARCERT_KEEP && this.ownDb)
      fs.rmSync(this.dir, { recursive: true, force: true });
    if (e.code !== 0)
      throw new Error(`starcert serve exited with ${e.code} (signal ${e.signal}):\n${this.stderr}`);
    return e;
  }

  // Sends a signal without waiting (for the graceful-stop tests).
  signal(sig = 'SIGTERM') {
    this.running = false;
    this.proc.kill(sig);
  }

  pid() {
    return this.proc.pid;
  }

  // Access-log lines so far (when started with quiet: false).
  log() {
    return this.logLines.slice();
  }

  // The CLI on the same database: {code, stdout, stderr, json}. `--db`
  // (and `--today` for commands that take it) are appended.
  cli(args, { input, today = true } = {}) {
    const full = [...args, '--db', this.db];
    if (today && this.today && takesToday(args[0])) full.push('--today', this.today);
    return runCli(full, { input });
  }

  // Like cli() for a command given in full; throws when it fails.
  mustCli(args, opts) {
    const r = runCli(args, opts);
    if (r.code !== 0)
      throw new Error(`starcert ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r.json;
  }

  // Like cli(); throws when it fails, returns the JSON.
  must(args, opts) {
    const r = this.cli(args, opts);
    if (r.code !== 0)
      throw new Error(`starcert ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r.json;
  }

  /*
   * Adds a user through the CLI and sets their password. The first user of
   * an empty database must be an admin (added without --as); later ones are
   * added as the first admin. role enterprise needs org (id or USCC).
   */
  addUser({ login, name, role, org, password = PASSWORD, as }) {
    const args = ['user', 'add', '--login', login, '--name', name || login, '--role', role];
    if (org !== undefined) args.push('--org', String(org));
    const actor = as || this.admin;
    if (actor) args.push('--as', actor);
    const u = this.must(args);
    if (role === 'admin' && !this.admin) this.admin = login;
    if (password) this.setPassword(login, password);
    return u;
  }

  /*
   * Sets a user's password with `starcert user passwd LOGIN` (the password
   * on stdin). Throws when the command does not exist yet or fails.
   */
  setPassword(login, password = PASSWORD) {
    const args = ['user', 'passwd', login, '--password-stdin'];
    if (this.admin) args.push('--as', this.admin);
    const r = this.cli(args, { input: password + '\n' });
    if (r.code !== 0)
      throw new Error(`cannot set the password of ${login}: starcert user passwd exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  }

  // An anonymous client.
  anon() {
    return new Client(this.url);
  }

  // A client with a session: POST /api/v1/session {login, password}; throws
  // unless the log-in succeeds. The client sends the cookie and, on writes,
  // the CSRF token.
  async login(login, password = PASSWORD) {
    const res = await exchange(this.url, 'POST', '/api/v1/session', { json: { login, password } }, {});
    if (res.status < 200 || res.status > 299)
      throw new Error(`log-in of ${login} answered ${res.status}: ${res.text}`);
    const { cookie, csrf } = sessionFrom(res);
    if (!cookie) throw new Error(`log-in of ${login} set no sc_session cookie`);
    return new Client(this.url, { cookie, csrf, login });
  }

  // Sets the password of each login (CLI) and logs each in: {login: Client}.
  async loginAll(logins, password = PASSWORD) {
    const out = {};
    for (const l of logins) {
      this.setPassword(l, password);
      out[l] = await this.login(l, password);
    }
    return out;
  }

  // A bearer token for a user, created by the admin through the CLI
  // (`starcert token create`), or through POST /api/v1/tokens when the
  // CLI has no such command.
  async token(login, label = 'api-test') {
    const r = this.cli(['token', 'create', '--user', login, '--label', label, '--as', this.admin]);
    if (r.code === 0 && r.json?.token) return r.json.token;
    const admin = await this.login(this.admin);
    const res = await admin.post('/api/v1/tokens', { user: login, label });
    if (res.status !== 201 || !res.json?.token) throw new Error(`cannot create a token: ${res.status} ${res.text}`);
    return res.json.token;
  }

  // A client that sends `Authorization: Bearer TOKEN`.
  bearer(token) {
    return new Client(this.url, { token });
  }

  // sha256 of `sqlite3 DB .dump` (rows of the tables named in `exclude`
  // dropped: bookkeeping such as sessions that reads may touch).
  dbDump({ exclude = [] } = {}) {
    const r = spawnSync('sqlite3', [this.db, '.dump'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`sqlite3 .dump failed: ${r.stderr}`);
    let text = r.stdout;
    if (exclude.length) {
      const re = new RegExp(`^INSERT INTO "?(${exclude.join('|')})"? `);
      text = text.split('\n').filter((l) => !re.test(l)).join('\n');
    }
    return createHash('sha256').update(text).digest('hex');
  }

  // One SQL query through sqlite3 (JSON mode): an array of row objects.
  sql(query) {
    const r = spawnSync('sqlite3', ['-json', this.db, query], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : [];
  }
}

// Subcommands that accept --today.
function takesToday(cmd) {
  return !['init', 'registry', 'uscc', 'score', 'mandays', 'audit-verify', 'serve', 'routes', 'demo'].includes(cmd);
}

// Checks the shape of an error body: {"error": {"code", "message",
// "field"}} with a string code and message. Returns the error object.
export function errorOf(res) {
  const e = res.json && res.json.error;
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string')
    throw new Error(`not an error body (status ${res.status}): ${res.text.slice(0, 300)}`);
  return e;
}

export { sleep };
