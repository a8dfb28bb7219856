// Side-by-side peer of the macro benchmark: runs one state machine in
// aws-local-stepfunctions (a centralized interpreter, in this Node process,
// one execution at a time) with every Task state a no-op (it returns the
// output recorded for its input, or its input), REPS times after WARMUP
// untimed runs. Every run's result is compared with the expected one (the
// result Unum's IR workflow gives); a wrong result, or a Task input with no
// recording, fails the case. Prints one JSON line:
//   {"case", "engine", "status", "reps", "warmup", "tasks",
//    "wall_ms": {"median", "min", "max", "all"}}
// or {"case", "status": "failed", "error"} (exit code 1).
//
//   node bench/sfn-local/run.mjs CASE.json [--reps N] [--warmup N]
//
// CASE.json is what `unum-bench-macro --emit-sfn CASE` prints:
// {"case", "definition", "input", "task_outputs", "expected"}. The package
// comes from the ASL test peer (tests/asl/peer/install.sh installs it;
// Node >= 18.19).
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import '../../tests/asl/peer/node20_polyfill.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const peer = join(here, '..', '..', 'tests', 'asl', 'peer');
const require = createRequire(join(peer, 'package.json'));
// The package's CommonJS entry sits next to its ES module build.
const entry = join(dirname(require.resolve('aws-local-stepfunctions')),
                   'main.node.esm.js');
const {StateMachine} = await import(pathToFileURL(entry).href);

function parseArgs(argv) {
  const args = {file: null, reps: 5, warmup: 1};
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--reps' || a === '--warmup') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < (a === '--reps' ? 1 : 0)) {
        throw new Error(`${a} needs a whole number, got ${argv[i]}`);
      }
      args[a.slice(2)] = n;
    } else if (args.file === null) {
      args.file = a;
    } else {
      throw new Error(`unexpected argument ${a}`);
    }
  }
  if (args.file === null) throw new Error('usage: run.mjs CASE.json [--reps N] [--warmup N]');
  return args;
}

// Every Task state (in branches and item processors too) as [name,
// resource]: the package binds local handlers by state name.
function taskStates(machine, out = []) {
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    if (state.Type === 'Task') out.push([name, state.Resource]);
    for (const branch of state.Branches ?? []) taskStates(branch, out);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) taskStates(processor, out);
  }
  return out;
}

// JSON text with object keys sorted, so equal values compare equal.
function canonical(v) {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    return '{' +
        Object.keys(v).sort().map(
            (k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') +
        '}';
  }
  return JSON.stringify(v);
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  return n % 2 === 1 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const doc = JSON.parse(readFileSync(args.file, 'utf8'));
  const name = doc.case ?? args.file;
  const tasks = taskStates(doc.definition);
  const taskResourceLocalHandlers = {};
  let calls = 0;
  // A no-op task returns the output recorded for its input (task_outputs,
  // by resource, as unum-bench-macro --emit-sfn recorded them), or its input
  // when its resource has no recording.
  const recordings = doc.task_outputs ?? {};
  for (const [name, resource] of tasks) {
    const recorded = recordings[resource];
    const byInput = new Map();
    for (const pair of recorded ?? []) {
      byInput.set(canonical(pair.input), pair.output);
    }
    taskResourceLocalHandlers[name] = async (input) => {
      ++calls;
      if (recorded === undefined) return input;
      const key = canonical(input);
      if (!byInput.has(key)) {
        throw new Error(`no-op task ${resource}: no output recorded for ` +
                        `its input ${key.slice(0, 200)}`);
      }
      return byInput.get(key);
    };
  }
  if (!Object.hasOwn(doc, 'expected')) {
    throw new Error('the case has no expected result (unum-bench-macro ' +
                    '--emit-sfn writes one)');
  }
  const expected = canonical(doc.expected);
  const machine = new StateMachine(doc.definition,
                                   {validationOptions: {checkArn: false}});
  const times = [];
  for (let i = 0; i < args.warmup + args.reps; ++i) {
    calls = 0;
    const start = process.hrtime.bigint();
    const execution = machine.run(doc.input, {overrides: {taskResourceLocalHandlers}});
    const result = await execution.result;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const got = canonical(result);
    if (got !== expected) {
      throw new Error(`wrong result in run ${i + 1}: ${got.slice(0, 200)} ` +
                      `(expected ${expected.slice(0, 200)})`);
    }
    if (i >= args.warmup) times.push(ms);
  }
  return {
    case: name,
    engine: 'aws-local-stepfunctions',
    status: 'ok',
    reps: args.reps,
    warmup: args.warmup,
    tasks: calls,
    wall_ms: {median: median(times), min: Math.min(...times),
              max: Math.max(...times), all: times},
  };
}

try {
  process.stdout.write(JSON.stringify(await main()) + '\n');
} catch (e) {
  let name = process.argv[2] ?? '';
  try {
    name = JSON.parse(readFileSync(name, 'utf8')).case ?? name;
  } catch {
    // keep the file name
  }
  process.stdout.write(JSON.stringify({case: name, status: 'failed',
                                       error: String(e?.message ?? e)}) + '\n');
  process.exitCode = 1;
}
