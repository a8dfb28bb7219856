// Runs the JSONata corpus in the reference implementation (the jsonata
// package) and records or checks its results.
//
//   node run_peer.mjs --record [FILE.jsonata...]   writes FILE.expected.json
//   node run_peer.mjs --check [FILE.jsonata...]    compares with them
//
// Without files: every tests/jsonata/corpus/*.jsonata. A recorded entry is
// {"expr", "input", "result"} (the result as JSON.stringify writes it, so
// functions are dropped), {"expr", "input", "undefined": true}, or
// {"expr", "input", "error": {"code", "position"}} (code null when the
// reference fails without one). --check prints each difference and
// "N passed, M failed"; the exit code is 1 if any case differs. A case
// that runs longer than UNUM_JSONATA_PEER_CASE_TIMEOUT_MS (10 s) is
// stopped and counts as failed, in both modes.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import {caseFiles, caseId, expectedFile, loadInput, readCases} from './corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, '..', 'corpus');
const inputsDir = join(here, '..', 'inputs');

// The reference has no time limit: each case runs in a worker thread
// that is terminated (and replaced) when the case takes longer than this.
// A case that times out is recorded as {"timeout": true}, which never
// matches a recorded result, so --check fails instead of hanging.
const kCaseTimeoutMs = Number(process.env.UNUM_JSONATA_PEER_CASE_TIMEOUT_MS ?? 10000);
let worker = null;

function startWorker() {
  worker = new Worker(new URL('./eval_worker.mjs', import.meta.url));
  worker.unref();
}

function evaluateInWorker(expr, input) {
  if (worker === null) startWorker();
  const w = worker;
  return new Promise((resolve) => {
    let done = false;
    const finish = (entry) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('error', onError);
      resolve(entry);
    };
    const onMessage = (entry) => finish(entry);
    const onError = (err) => {
      worker = null;
      finish({crash: String(err)});
    };
    const timer = setTimeout(() => {
      worker = null;
      w.terminate();
      finish({timeout: true});
    }, kCaseTimeoutMs);
    w.on('message', onMessage);
    w.on('error', onError);
    w.postMessage({expr, input});
  });
}

async function runCase(c) {
  const input = loadInput(c.input, inputsDir);
  const entry = await evaluateInWorker(c.expr, input);
  if (entry.timeout) {
    console.log(`${c.id}: ${c.expr}\n  peer did not finish within ${kCaseTimeoutMs} ms`);
  }
  return {expr: c.expr, input: c.input, ...entry};
}

const args = process.argv.slice(2);
const mode = args.shift();
if (mode !== '--record' && mode !== '--check') {
  console.error('usage: run_peer.mjs --record|--check [FILE.jsonata...]');
  process.exit(2);
}
const files = args.length > 0 ? args : caseFiles(corpusDir);
let passed = 0, failed = 0;
for (const file of files) {
  const cases = readCases(file, inputsDir);
  const entries = [];
  for (const c of cases) entries.push(await runCase({...c, id: caseId(file, c)}));
  if (mode === '--record') {
    const unfinished = entries.filter(e => e.timeout || e.crash).length;
    writeFileSync(expectedFile(file), JSON.stringify(entries, null, 1) + '\n');
    passed += entries.length - unfinished;
    failed += unfinished;
    continue;
  }
  const path = expectedFile(file);
  const recorded = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : [];
  cases.forEach((c, i) => {
    const want = JSON.stringify(recorded[i] ?? null);
    const got = JSON.stringify(entries[i]);
    if (want === got) {
      passed++;
    } else {
      failed++;
      console.log(`${caseId(file, c)}: ${c.expr}\n  recorded: ${want}\n  peer now: ${got}`);
    }
  });
  if (recorded.length !== cases.length) {
    failed++;
    console.log(`${path}: ${recorded.length} recorded entries for ${cases.length} cases`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
if (worker !== null) await worker.terminate();
process.exit(failed > 0 ? 1 : 0);
