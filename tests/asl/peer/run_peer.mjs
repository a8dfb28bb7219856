// Peer runner of the ASL differential corpus.
//
//   node run_peer.mjs [--record | --check] CASE_DIR...
//
// Runs each case's definition.json on its input.json in aws-local-stepfunctions
// with every Task state bound to the fixed task table (tasks.mjs), and prints
// one JSON line per case:
//   {"case": NAME, "status": "SUCCEEDED", "output": ...}
//   {"case": NAME, "status": "FAILED", "error": "...", "cause": "..."}
// --record also writes CASE_DIR/expected.json (the line without "case").
// --check compares with CASE_DIR/expected.json instead and prints
// "N passed, M failed"; the exit code is 1 if any case differs.
// A case that cannot be run at all (bad files, invalid definition, unknown
// task resource) prints status "RUNNER_ERROR" and makes the exit code 2.

import {register} from 'node:module';
import {readFileSync, writeFileSync} from 'node:fs';
import {basename, join, resolve} from 'node:path';
import {taskNameOf, runTask} from './tasks.mjs';
import './node20_polyfill.mjs';

// Adds $$.State.{Name,RetryCount} to the context object (see peer_hooks.mjs).
register('./peer_hooks.mjs', import.meta.url);
const {StateMachine, ExecutionError, ExecutionTimeoutError} =
    await import('aws-local-stepfunctions');

const kCaseTimeoutMs = 30000;

class RunnerError extends Error {}

// Visits every state of a definition, including Parallel branches and Map
// iterators, calling fn(stateName, state).
function forEachState(definition, fn) {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    fn(name, state);
    if (state.Type === 'Parallel') {
      for (const branch of state.Branches ?? []) forEachState(branch, fn);
    } else if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) forEachState(processor, fn);
    }
  }
}

// Builds the run overrides: task handlers (keyed by state name, as the
// package requires) and zero-length retry pauses.
function buildOverrides(definition) {
  const taskResourceLocalHandlers = {};
  const retryIntervalOverrides = {};
  const resources = {};
  forEachState(definition, (name, state) => {
    if (state.Retry) retryIntervalOverrides[name] = 0;
    if (state.Type !== 'Task') return;
    const task = taskNameOf(state.Resource);
    if (task === null) {
      throw new RunnerError(`state "${name}": unknown task resource ` +
                            JSON.stringify(state.Resource));
    }
    if (Object.hasOwn(resources, name) && resources[name] !== task) {
      throw new RunnerError(`Task states named "${name}" use different ` +
                            'tasks; the peer binds handlers by state name');
    }
    resources[name] = task;
    taskResourceLocalHandlers[name] = (input) => runTask(task, input);
  });
  return {taskResourceLocalHandlers, retryIntervalOverrides};
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new RunnerError(`cannot read ${path}: ${e.message}`);
  }
}

async function runCase(dir) {
  const definition = readJson(join(dir, 'definition.json'));
  const input = readJson(join(dir, 'input.json'));
  const overrides = buildOverrides(definition);
  let machine;
  try {
    machine = new StateMachine(definition, {
      validationOptions: {checkArn: false},
    });
  } catch (e) {
    throw new RunnerError(e.message);
  }
  const execution = machine.run(input, {overrides});
  const timer = setTimeout(() => execution.abort(), kCaseTimeoutMs);
  try {
    const output = await execution.result;
    return {status: 'SUCCEEDED', output};
  } catch (e) {
    if (e instanceof ExecutionError && e.cause instanceof Error) {
      return {status: 'FAILED', error: e.cause.name, cause: e.cause.message};
    }
    if (e instanceof ExecutionTimeoutError) {
      // The definition's top-level TimeoutSeconds elapsed.
      return {status: 'FAILED', error: 'States.Timeout', cause: e.message};
    }
    throw new RunnerError(`execution ended abnormally: ${e.name}: ${e.message}`);
  } finally {
    clearTimeout(timer);
  }
}

// Canonical JSON text (object keys sorted) for order-insensitive comparison.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
                  .join(',')}}`;
  }
  return JSON.stringify(value);
}

async function main(argv) {
  let mode = 'print';
  const dirs = [];
  for (const arg of argv) {
    if (arg === '--record') mode = 'record';
    else if (arg === '--check') mode = 'check';
    else dirs.push(resolve(arg));
  }
  if (dirs.length === 0) {
    process.stderr.write(
        'usage: node run_peer.mjs [--record | --check] CASE_DIR...\n');
    return 2;
  }
  let passed = 0;
  let failed = 0;
  let runnerErrors = 0;
  // A JavaScript SyntaxError escaping the peer carries V8's own message,
  // whose wording changed between Node 18 and 20: compare the error only.
  const withoutV8Message = (r) =>
      r.status === 'FAILED' && r.error === 'SyntaxError' ?
      {...r, cause: '(V8 message)'} :
      r;
  for (const dir of dirs) {
    const name = basename(dir);
    let result;
    try {
      result = await runCase(dir);
    } catch (e) {
      if (!(e instanceof RunnerError)) throw e;
      runnerErrors++;
      process.stdout.write(JSON.stringify(
          {case: name, status: 'RUNNER_ERROR', message: e.message}) + '\n');
      continue;
    }
    process.stdout.write(JSON.stringify({case: name, ...result}) + '\n');
    if (mode === 'record') {
      writeFileSync(join(dir, 'expected.json'),
                    JSON.stringify(result, null, 2) + '\n');
    } else if (mode === 'check') {
      const expected = readJson(join(dir, 'expected.json'));
      if (canonical(withoutV8Message(expected)) ===
          canonical(withoutV8Message(result))) {
        passed++;
      } else {
        failed++;
        process.stdout.write(`MISMATCH ${name}: expected ` +
                             `${JSON.stringify(expected)} got ` +
                             `${JSON.stringify(result)}\n`);
      }
    }
  }
  if (mode === 'check') process.stdout.write(`${passed} passed, ${failed} failed\n`);
  if (runnerErrors > 0) return 2;
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
