// Worker thread of run_peer.mjs: evaluates one corpus case per message in
// the jsonata package and posts back its recorded form. Runs apart from
// the main thread so that an expression which never returns (the
// reference has no time limit of its own) can be stopped by terminating
// the worker.
import jsonata from 'jsonata';
import {parentPort} from 'node:worker_threads';

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

parentPort.on('message', async ({expr, input}) => {
  const entry = {};
  try {
    const result = await jsonata(expr).evaluate(input.defined ? input.value : undefined);
    const text = JSON.stringify(result, replacer);
    if (text === undefined) entry.undefined = true;
    else entry.result = JSON.parse(text);
  } catch (err) {
    entry.error = {code: err.code ?? null, position: err.position ?? null};
  }
  parentPort.postMessage(entry);
});
