// Loaded by every mocha run (.mocharc.base.cjs `require`): tests may open connections on this
// machine only. A connection to anything but loopback (127.0.0.0/8, ::1, localhost, a unix socket)
// fails before a packet is sent, and the test that opened it fails, naming the host: the real
// Genesys hosts must never be reached from a test, not even by a mistyped base URL.
//
// Every TCP/TLS client in Node goes through net.Socket.prototype.connect (net.connect,
// tls.connect, http/https agents, undici and so fetch, ioredis), so that one method is patched.
// Child processes a test spawns and the VS Code e2e harness (its own Mocha, no .mocharc) are not
// covered by this file.
'use strict';
const net = require('node:net');

const STATE_KEY = Symbol.for('baton.networkGuard');

class NetworkGuardError extends Error {
  constructor(host, port) {
    const where = port === undefined ? host : `${host.includes(':') ? `[${host}]` : host}:${port}`;
    super(
      `Network guard: a test tried to connect to ${where}, outside loopback. Tests may reach only ` +
        '127.0.0.0/8, ::1, localhost and unix sockets (scripts/mocha-network-guard.cjs).',
    );
    this.name = 'NetworkGuardError';
    this.code = 'ERR_NETWORK_GUARD';
    this.host = host;
    this.port = port;
  }
}

/** Whether `host` (an IP or a name, as given to connect) is this machine. */
function isLoopback(host) {
  const h = String(host).replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  // Connecting to the unspecified address reaches this machine (a server "listening on 0.0.0.0").
  if (h === '0.0.0.0' || h === '::') return true;
  const kind = net.isIP(h);
  if (kind === 4) return h.startsWith('127.');
  if (kind === 6) {
    if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped !== null && mapped[1].startsWith('127.');
  }
  return false;
}

/**
 * Where a connect() call goes, from any of its signatures: (options[, cb]), (port[, host][, cb]),
 * (path[, cb]), and the internal pre-normalized [options, cb] array net.connect passes.
 * Returns undefined for a unix socket / named pipe.
 */
function targetOf(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    if (first.path !== undefined && first.path !== null) return undefined;
    return { host: first.host ?? 'localhost', port: first.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // a pipe path
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first };
}

const state = (globalThis[STATE_KEY] ??= { installed: false, expectViolations: 0, violations: [], isLoopback, NetworkGuardError });

if (!state.installed) {
  state.installed = true;
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const target = targetOf(args);
    if (target === undefined || isLoopback(target.host)) return originalConnect.apply(this, args);
    const error = new NetworkGuardError(String(target.host), target.port);
    state.violations.push(error);
    // Fails the way a refused connection does (an 'error' on the socket, asynchronously), so every
    // client reports it through its usual path...
    process.nextTick(() => this.destroy(error));
    // ...and, since a client may swallow or retry that, also as an uncaught exception, which mocha
    // charges to the test (or hook) running now. The guard's own test sets `expectViolations`.
    if (state.expectViolations === 0) setImmediate(() => {
      throw error;
    });
    return this;
  };
}
