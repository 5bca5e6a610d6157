'use strict';
// Helpers every benchmark runner shares: checking the services are built, and
// running each server or load generator in its own forked process.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

/** Newest modification time of the non-test TypeScript sources under `dir`. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Fails (via `fail`) when a project has no dist; warns (via `warn`) when its
 * sources are newer than its dist, since the figures would then be stale.
 */
function checkBuilt(projects, fail, warn) {
  for (const project of projects) {
    const dist = path.join(ROOT, project, 'dist', 'index.js');
    if (!fs.existsSync(dist)) {
      fail(
        `${project} is not built (no ${path.relative(ROOT, dist)}); run \`npx nx run-many -t build\` first`,
      );
    }
    if (newestMtime(path.join(ROOT, project, 'src')) > fs.statSync(dist).mtimeMs) {
      warn(`warning: ${project}/src is newer than its dist; rebuild for current figures`);
    }
  }
}

/**
 * Forks a child and resolves `message` with its first IPC message; kills it
 * if nothing comes within `timeoutMs`, rejects if it exits first.
 */
function forkAndAwait(script, args, timeoutMs, firstMessage, env) {
  const child = fork(script, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(env ? { env } : {}),
  });
  const name = `${path.basename(script)}${args[0] ? ` ${args[0]}` : ''}`;
  const message = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('message', (msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? `code ${code}`}) before answering`));
    });
    if (firstMessage !== undefined) child.send(firstMessage);
  });
  return { child, message };
}

/** SIGTERM, then SIGKILL after 15 s; resolves once the child is gone. */
function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

module.exports = { ROOT, checkBuilt, forkAndAwait, newestMtime, stop };
