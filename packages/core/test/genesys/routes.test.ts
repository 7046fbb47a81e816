import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSandbox, routeNames, routeTable, type Sandbox } from '@baton/sandbox';
import { API_ROUTES, ROUTES, allRoutePermissions, type ApiRoute } from '../../src/index.js';
import { repoRoot } from '../helpers/repo-root.js';

/**
 * Core's route table (packages/core/src/genesys/routes.ts) is the one statement of the Platform
 * API calls Baton makes. The copies that cannot import it (the sandbox's table and its Express
 * registrations, the README's permission list) are checked against it here, so a route or a
 * permission added to one and not the other fails.
 */


const sorted = (values: Iterable<string>) => [...values].sort();

describe('Genesys route facts: one table in core', () => {
  it('the sandbox emulates exactly the routes of the table (and the token request)', () => {
    assert.deepEqual(sorted(routeNames), sorted(['postToken', ...API_ROUTES]));
    assert.deepEqual(sorted(Object.keys(routeTable)), sorted(API_ROUTES));
  });

  it("the sandbox's route table states each route's method, path and permissions as core does", () => {
    for (const route of API_ROUTES) {
      const core = ROUTES[route];
      const sandbox = routeTable[route];
      assert.deepEqual(
        { method: sandbox.method, path: sandbox.path, permissions: sorted(sandbox.permissions), mode: sandbox.mode },
        { method: core.method, path: core.path, permissions: sorted(core.permissions), mode: core.permissionMode },
        route,
      );
    }
  });

  describe('the sandbox serves each route at the method and path of the table, under its name', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await createSandbox({ port: 0, host: '127.0.0.1', conversations: 0 });
    });
    after(async () => {
      await sandbox.close();
    });

    for (const route of Object.keys(ROUTES) as ApiRoute[]) {
      it(route, async () => {
        const spec = ROUTES[route];
        // Ids that no other route's literal segment could match (`messages`, `queues`, …).
        const url = sandbox.url + spec.path.replace(/\{(\w+)\}/g, (_m, name: string) => `id-of-${name}`);
        const before = sandbox.counters.snapshot().byRoute[route] ?? 0;
        const res = await fetch(url, {
          method: spec.method,
          ...(spec.method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
        });
        await res.arrayBuffer();
        // No bearer token: the sandbox's guard for this route name counts it and answers 401; an
        // unregistered method or path would answer 404 and count nothing.
        assert.equal(res.status, 401, `${spec.method} ${spec.path}`);
        assert.equal((sandbox.counters.snapshot().byRoute[route] ?? 0) - before, 1, `${spec.method} ${spec.path} counted as ${route}`);
      });
    }
  });

  it('the README lists every permission of the table, and no other ("Pointing it at a real org", step 1)', () => {
    const readme = readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
    const section = /## Pointing it at a real org\n([\s\S]*?)\n2\. /.exec(readme)?.[1];
    assert.ok(section, 'README.md has a "Pointing it at a real org" section whose step 1 lists the permissions');
    const listed = [...section.matchAll(/`([A-Za-z]+(?::[A-Za-z]+){2})`/g)].map((m) => m[1]!);
    assert.deepEqual(sorted(new Set(listed)), sorted(allRoutePermissions()));
  });

  it("writes: every call not safe to repeat writes, no GET does, and the four org-changing calls are marked (the extension's read-only check counts them)", () => {
    for (const route of API_ROUTES) {
      const spec = ROUTES[route];
      // A route that is not safe to repeat changes something; a GET never does.
      if (!spec.idempotent) assert.equal(spec.writes, true, `${route} is not idempotent, so it writes`);
      if (spec.method === 'GET') assert.equal(spec.writes, false, `${route} is a GET`);
    }
    assert.deepEqual(
      sorted(API_ROUTES.filter((route) => ROUTES[route].writes)),
      sorted([
        'patchConversationsMessageParticipantAttributes',
        'postConversationParticipantReplaceQueue',
        'patchRoutingConversation',
        'postConversationsMessageCommunicationMessages',
      ]),
    );
  });
});
