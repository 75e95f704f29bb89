// Shared by the kit's tests: talk to an adapter program through the protocol.
'use strict';

const { spawn } = require('node:child_process');

/** Runs adapter `script` with `requests` on stdin; returns its answers (parsed), its stderr and exit code. */
function session(script, requests) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ answers: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)), stderr, code }));
    child.stdin.end(requests.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
  });
}

/** Returns the traces of running `scenarios` in one session of adapter `script`. */
async function traces(script, scenarios) {
  const requests = scenarios.flatMap((scenario, i) => [
    { protocol: 1, seq: 2 * i, cmd: 'reset' },
    { protocol: 1, seq: 2 * i + 1, cmd: 'run', scenario },
  ]);
  const { answers, stderr } = await session(script, requests);
  return answers.filter((a) => a.seq % 2 === 1).map((a) => {
    if (!a.ok) throw new Error(`${a.error.message}\n${a.error.detail ?? ''}\n${stderr}`);
    return a.result.trace;
  });
}

module.exports = { session, traces };
