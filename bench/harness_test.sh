#!/usr/bin/env bash
# ctest unum_bench_harness_test: bench/run.sh checks every result. A smoke
# run (one tiny case per group, the side by side included) must pass;
# the same run with a deliberately wrong expected output for a state
# machine case must fail, with "wrong result" reported by both sides: Unum
# (unum-bench-macro) and the peer (aws-local-stepfunctions, run.mjs).
#   bench/harness_test.sh BUILD_DIR
# The peer needs node and tests/asl/peer/install.sh (scripts/test.sh runs
# it): without them the test fails under CI=true and is skipped (77)
# elsewhere.
set -uo pipefail
cd "$(dirname "$0")/.."
build="$1"
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! command -v node >/dev/null ||
   [[ ! -f tests/asl/peer/node_modules/aws-local-stepfunctions/package.json ]]; then
  source tests/lib/missing_dependency.sh
  missing_dependency "node or the Step Functions peer (tests/asl/peer/install.sh) is missing"
fi
run() {
  SMOKE=1 NO_BUILD=1 BENCH_BUILD_DIR="$build" bash bench/run.sh 2>&1
}

out="$(run)" || fail "the smoke run failed:
$out"
grep -q "every result checked and right" <<<"$out" || fail "no verdict:
$out"
echo "ok - the smoke run passes, every result checked"

# sfn-chain-3 returns its input {"n": 3}; claim it must be {"n": 4}.
out="$(BENCH_EXPECT='sfn-chain-3={"n":4}' run)" &&
  fail "bench/run.sh passed with a wrong expected output:
$out"
grep -q "FAILED: a benchmark gave a wrong result" <<<"$out" ||
  fail "no failure verdict:
$out"
grep -q 'sfn-chain-3: aws-local-stepfunctions: .*wrong result' <<<"$out" ||
  fail "the peer's wrong result was not reported:
$out"
grep -q 'sfn-chain-3 .*failed (wrong result' <<<"$out" ||
  fail "Unum's wrong result was not reported:
$out"
echo "ok - a wrong expected output fails the run, on both sides"
