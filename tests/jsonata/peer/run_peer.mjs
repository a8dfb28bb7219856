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
// "N passed, M failed"; the exit code is 1 if any case differs.
import jsonata from 'jsonata';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {caseFiles, caseId, expectedFile, loadInput, readCases} from './corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, '..', 'corpus');
const inputsDir = join(here, '..', 'inputs');

// Lambdas and built-ins are objects in jsonata; write them as JSON writes
// functions (dropped in objects, null in arrays).
function replacer(key, value) {
  if (typeof value === 'function') return undefined;
  if (value !== null && typeof value === 'object' &&
      (value._jsonata_lambda === true || value._jsonata_function === true)) {
    return undefined;
  }
  return value;
}

async function runCase(c) {
  const entry = {expr: c.expr, input: c.input};
  const input = loadInput(c.input, inputsDir);
  try {
    const result = await jsonata(c.expr).evaluate(input.defined ? input.value : undefined);
    const text = JSON.stringify(result, replacer);
    if (text === undefined) entry.undefined = true;
    else entry.result = JSON.parse(text);
  } catch (err) {
    entry.error = {code: err.code ?? null, position: err.position ?? null};
  }
  return entry;
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
  for (const c of cases) entries.push(await runCase(c));
  if (mode === '--record') {
    writeFileSync(expectedFile(file), JSON.stringify(entries, null, 1) + '\n');
    passed += entries.length;
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
process.exit(failed > 0 ? 1 : 0);
