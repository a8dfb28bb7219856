// Module load hook for the ASL peer runner.
//
// aws-local-stepfunctions 3.0.0 does not put a "State" object into the
// context object, so "$$.State.RetryCount" (needed by the FailUntil task of
// the corpus) would not resolve. This hook rewrites, in memory only, one line
// of the package's Node ESM build so that every state attempt sets
//   $$.State = {"Name": <state name>, "RetryCount": <retries so far>}
// before its InputPath/Parameters are evaluated. Nothing on disk is changed.
// The rewrite is anchored on an exact source line; if the line is missing
// (a different package version) loading fails loudly instead of silently
// running without the patch.

const kTarget = 'aws-local-stepfunctions/build/main.node.esm.js';
const kAnchor = 'const processedInput = this.processInput(input, context);';
const kInjected =
  'context.State = { Name: this.stateName, RetryCount: ' +
  'this.retrierAttempts.reduce((a, b) => a + b, 0) }; ' + kAnchor;

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.endsWith(kTarget)) return result;
  const source = String(result.source);
  const count = source.split(kAnchor).length - 1;
  if (count !== 1) {
    throw new Error(
        `peer_hooks: expected exactly one anchor line in ${kTarget}, ` +
        `found ${count}; the pinned package version changed?`);
  }
  return {...result, source: source.replace(kAnchor, kInjected)};
}
