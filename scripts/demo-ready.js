'use strict';
/**
 * When the demo's server is really there. `strapi start` loads, migrates and bootstraps before it
 * listens, which takes seconds to minutes; addresses printed before then lead to "connection
 * refused". The demo asks Strapi's health route until it answers, and gives up if the server
 * process ends first (a port already in use, a broken .env).
 */
const http = require('node:http');
const { clearTimeout } = require('node:timers');

/** Resolves once `url` answers with any status below 500; rejects when `child` exits first or after `timeoutMs`. */
function waitUntilListening({ url, child, timeoutMs = 10 * 60_000, intervalMs = 500 }) {
  return new Promise((resolve, reject) => {
    let done = false;
    let timer = null;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child?.removeListener('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onExit = (code) => finish(new Error(`the server stopped (exit code ${code}) before it listened on ${url}`));
    child?.once('exit', onExit);
    const deadline = Date.now() + timeoutMs;
    const ask = () => {
      if (done) return;
      if (Date.now() > deadline) return finish(new Error(`the server did not answer on ${url} within ${Math.round(timeoutMs / 1000)} s`));
      const request = http.get(url, (res) => {
        res.resume();
        if (res.statusCode < 500) finish();
        else timer = setTimeout(ask, intervalMs);
      });
      request.setTimeout(intervalMs * 4, () => request.destroy());
      request.on('error', () => {
        timer = setTimeout(ask, intervalMs);
      });
    };
    ask();
  });
}

/** The address to ask and to print for a HOST setting: a wildcard address means this machine. */
function localHost(host) {
  if (!host || host === '0.0.0.0' || host === '::' || host === '[::]') return 'localhost';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The address to ask on this machine: a wildcard HOST listens on every IPv4 address, loopback included. */
function probeHost(host) {
  if (!host || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return localHost(host);
}

/** PORT as a number, or null when it is not a TCP port. */
function parsePort(value) {
  const text = String(value ?? '').trim();
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

module.exports = { waitUntilListening, localHost, probeHost, parsePort };
