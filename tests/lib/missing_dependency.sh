# Sourced by the shell ctests. missing_dependency WHAT: what a test needs
# is not here. Under CI=true that fails the test (exit 1), naming WHAT;
# elsewhere the test is skipped loudly (exit 77, ctest's SKIP_RETURN_CODE).
missing_dependency() {
  if [[ "${CI:-}" == "true" ]]; then
    echo "FAIL: $*" >&2
    exit 1
  fi
  echo "SKIP: $*" >&2
  exit 77
}
