// test_openapi: docs/openapi.yaml and the server's route table
// (`starcert routes`, printed from src/http/routes.c) must describe the
// same API: the same paths with the same methods, operationId = the
// route's name, public routes marked `security: []` and session routes
// documenting 401, every path parameter declared, every $ref resolvable.
// The document is YAML 1.2 kept in JSON syntax, so JSON.parse reads it.
// Not for: the behaviour of the routes (the other test files).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT, runCli } from './lib.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function loadDoc() {
  const text = fs.readFileSync(path.join(ROOT, 'docs', 'openapi.yaml'), 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`docs/openapi.yaml must stay in JSON syntax (valid YAML 1.2): ${e.message}`);
  }
}

function loadRoutes() {
  const r = runCli(['routes']);
  assert.equal(r.code, 0, `starcert routes failed: ${r.stderr}`);
  assert.ok(Array.isArray(r.json), 'starcert routes prints an array');
  return r.json;
}

const doc = loadDoc();
const routes = loadRoutes();

// Every operation of the document: [{key: "GET /path", path, method, op}].
function operations() {
  const ops = [];
  for (const [p, item] of Object.entries(doc.paths || {}))
    for (const m of Object.keys(item))
      if (METHODS.includes(m)) ops.push({ key: `${m.toUpperCase()} ${p}`, path: p, method: m, op: item[m], item });
  return ops;
}

function resolve(ref) {
  assert.ok(ref.startsWith('#/'), `only local $ref: ${ref}`);
  let node = doc;
  for (const part of ref.slice(2).split('/')) {
    const k = part.replace(/~1/g, '/').replace(/~0/g, '~');
    assert.ok(node && Object.hasOwn(node, k), `$ref ${ref} does not resolve`);
    node = node[k];
  }
  return node;
}

test('the document is OpenAPI 3.0.3 with paths and the error schema', () => {
  assert.equal(doc.openapi, '3.0.3');
  assert.equal(typeof doc.info?.title, 'string');
  assert.equal(typeof doc.paths, 'object');
  const e = doc.components.schemas.Error;
  assert.deepEqual(e.required, ['error']);
  assert.deepEqual(e.properties.error.required, ['code', 'message', 'field']);
});

test('the route table has no duplicates and well-formed rows', () => {
  const seen = new Set();
  for (const r of routes) {
    const k = `${r.method} ${r.path}`;
    assert.ok(!seen.has(k), `duplicate route ${k}`);
    seen.add(k);
    assert.match(r.method, /^(GET|POST|PUT|PATCH|DELETE)$/, k);
    assert.match(r.path, /^\/[A-Za-z0-9_{}\/.-]*$/, k);
    assert.ok(['public', 'optional', 'session'].includes(r.auth), `${k}: auth ${r.auth}`);
    assert.match(r.name, /^[a-z][a-z0-9_]*$/, `${k}: name`);
  }
  const names = routes.map((r) => r.name);
  assert.equal(new Set(names).size, names.length, 'route names are unique');
});

test('every route is documented and every documented operation is a route', () => {
  const inDoc = new Set(operations().map((o) => o.key));
  const inTable = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const undocumented = [...inTable].filter((k) => !inDoc.has(k)).sort();
  const phantom = [...inDoc].filter((k) => !inTable.has(k)).sort();
  assert.deepEqual(undocumented, [], 'routes missing from docs/openapi.yaml');
  assert.deepEqual(phantom, [], 'docs/openapi.yaml operations the server does not have');
});

test('operationId is the route name; public routes have security []', () => {
  const byKey = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  const ids = new Set();
  for (const o of operations()) {
    const r = byKey.get(o.key);
    if (!r) continue; // reported by the test above
    assert.equal(o.op.operationId, r.name, `${o.key}: operationId`);
    assert.ok(!ids.has(o.op.operationId), `${o.key}: operationId used twice`);
    ids.add(o.op.operationId);
    if (r.auth === 'public' || r.auth === 'optional')
      assert.deepEqual(o.op.security, [], `${o.key}: a ${r.auth} route says security: []`);
    else
      assert.ok(!Array.isArray(o.op.security) || o.op.security.length > 0,
        `${o.key}: a session route must not say security: []`);
    if (r.auth === 'session')
      assert.ok(o.op.responses?.['401'], `${o.key}: a session route documents 401`);
  }
});

test('every operation has a summary, a 2xx answer and error answers of the error schema', () => {
  for (const o of operations()) {
    assert.equal(typeof o.op.summary, 'string', `${o.key}: summary`);
    assert.ok(o.op.summary.length > 0, `${o.key}: summary`);
    const codes = Object.keys(o.op.responses || {});
    assert.ok(codes.some((c) => /^2\d\d$/.test(c)), `${o.key}: a 2xx response`);
    for (const c of codes) {
      assert.match(c, /^([1-5]\d\d|default)$/, `${o.key}: response key ${c}`);
      if (!/^[45]/.test(c)) continue;
      let resp = o.op.responses[c];
      if (resp.$ref) resp = resolve(resp.$ref);
      const schema = resp.content?.['application/json']?.schema;
      assert.ok(schema, `${o.key} ${c}: an application/json error body`);
      assert.equal(schema.$ref, '#/components/schemas/Error', `${o.key} ${c}: the error schema`);
    }
  }
});

test('every {param} of a path is declared as a path parameter, and only those', () => {
  for (const o of operations()) {
    const want = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    const params = [...(o.item.parameters || []), ...(o.op.parameters || [])]
      .map((p) => (p.$ref ? resolve(p.$ref) : p));
    const got = params.filter((p) => p.in === 'path').map((p) => p.name).sort();
    assert.deepEqual(got, want, `${o.key}: path parameters`);
    for (const p of params) {
      if (p.in === 'path') assert.equal(p.required, true, `${o.key}: ${p.name} required`);
      assert.ok(p.schema, `${o.key}: ${p.name} has a schema`);
    }
  }
});

test('every $ref in the document resolves', () => {
  const walk = (node, where) => {
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref') resolve(v);
        else walk(v, `${where}.${k}`);
      }
  };
  walk(doc, '$');
});

test('request bodies are JSON (or raw bytes for uploads) with a schema', () => {
  for (const o of operations()) {
    if (!o.op.requestBody) continue;
    const content = o.op.requestBody.content || {};
    const types = Object.keys(content);
    assert.ok(types.length > 0, `${o.key}: requestBody content`);
    for (const t of types) assert.ok(content[t].schema, `${o.key}: ${t} schema`);
  }
});
