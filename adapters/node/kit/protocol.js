// The adapter protocol (schemas/protocol/*.json): newline-delimited JSON on stdin/stdout.
//
// `serve(adapter)` reads one request per line, checks what is cheap to check (a JSON
// object, protocol 1, a seq number, a known cmd and its members), awaits the adapter's
// answer and writes it with the request's seq.  stdout carries protocol lines only:
// console output and stray writes of the implementation go to stderr.
'use strict';

const readline = require('node:readline');

const PROTOCOL = 1;
const MEMBERS = {
  hello: ['protocol', 'seq', 'cmd', 'suite'],
  reset: ['protocol', 'seq', 'cmd'],
  run: ['protocol', 'seq', 'cmd', 'scenario'],
  close: ['protocol', 'seq', 'cmd'],
};

class RequestError extends Error {}

/** Returns what is wrong with a request, or null; `request` is any parsed JSON. */
function requestProblem(request) {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) return 'a request is a JSON object';
  if (!Number.isInteger(request.seq) || request.seq < 0) return `seq must be an integer >= 0, got ${JSON.stringify(request.seq)}`;
  if (request.protocol !== PROTOCOL) return `protocol ${JSON.stringify(request.protocol)} is not ${PROTOCOL}`;
  const allowed = MEMBERS[request.cmd];
  if (allowed === undefined) return `unknown cmd ${JSON.stringify(request.cmd)}; expected one of ${Object.keys(MEMBERS).join(', ')}`;
  const extra = Object.keys(request).filter((k) => !allowed.includes(k));
  if (extra.length > 0) return `unexpected member(s) ${extra.join(', ')} in a ${request.cmd} request`;
  const missing = allowed.filter((k) => !(k in request));
  if (missing.length > 0) return `a ${request.cmd} request lacks ${missing.join(', ')}`;
  if (request.cmd === 'hello' && (typeof request.suite?.name !== 'string' || typeof request.suite?.version !== 'string')) {
    return 'hello.suite needs a name and a version (strings)';
  }
  if (request.cmd === 'run') {
    const s = request.scenario;
    if (s === null || typeof s !== 'object' || !Array.isArray(s.pages) || typeof s.main !== 'object' || s.main === null) {
      return 'run.scenario needs pages (an array) and main (an object)';
    }
  }
  return null;
}

/**
 * Keeps stdout for protocol lines: console.log/info/debug and any other write to
 * process.stdout go to stderr.  Returns the function that writes a protocol line.
 */
function reserveStdout() {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout);
  stdout.write = (chunk, encoding, callback) => process.stderr.write(chunk, encoding, callback);
  for (const name of ['log', 'info', 'debug']) console[name] = (...args) => console.error(...args);
  return (line) => new Promise((done, fail) => write(line, (error) => (error ? fail(error) : done())));
}

function errorAnswer(seq, error) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const answer = { seq, ok: false, error: { message } };
  if (error instanceof Error && error.stack) answer.error.detail = String(error.stack);
  return answer;
}

/**
 * Answers requests from stdin with `adapter` until `close` or the end of stdin.
 * `adapter` has async hello() -> hello result, reset(), run(scenario) -> trace, close().
 */
async function serve(adapter) {
  const writeLine = reserveStdout();
  const write = (answer) => writeLine(`${JSON.stringify(answer)}\n`);
  let closed = false;
  const shutdown = async () => {
    if (closed) return;
    closed = true;
    try {
      await adapter.close();
    } catch (error) {
      console.error('adapter close failed:', error);
    }
  };
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) { // one request at a time: the suite waits for each answer
    if (line.trim() === '') continue;
    let request;
    let seq = 0;
    try {
      request = JSON.parse(line);
      if (Number.isInteger(request?.seq) && request.seq >= 0) seq = request.seq;
      const problem = requestProblem(request);
      if (problem !== null) throw new RequestError(problem);
    } catch (error) {
      await write(errorAnswer(seq, error));
      continue;
    }
    let answer;
    try {
      answer = { seq, ok: true, result: await handle(adapter, request, shutdown) };
    } catch (error) {
      answer = errorAnswer(seq, error);
    }
    await write(answer);
    if (request.cmd === 'close') break;
  }
  await shutdown();
  process.exit(0);
}

async function handle(adapter, request, shutdown) {
  switch (request.cmd) {
    case 'hello': return { protocol: PROTOCOL, ...(await adapter.hello(request.suite)) };
    case 'reset': await adapter.reset(); return {};
    case 'run': return { trace: await adapter.run(request.scenario) };
    case 'close': await shutdown(); return {};
    default: throw new RequestError(`unknown cmd ${request.cmd}`);
  }
}

module.exports = { PROTOCOL, requestProblem, reserveStdout, serve };
