#!/usr/bin/env bash
# Usage: zip_portability_test.sh UNUM APP_DIR APP_NAME
#
# Checks that the zips of `unum build APP_DIR --platform aws` can start on
# Lambda's provided.al2023 (glibc 2.34, no other library of this machine's
# Debian): see docs/aws.md, "Checking the zips". For every zip:
#  1. every ELF file needs GLIBC versions <= 2.34 only, no GLIBCXX/CXXABI
#     (libstdc++ is static) and no libgcc_s, and each of its DT_NEEDED and
#     version-reference libraries is glibc's own or shipped in the zip's lib/;
#  2. the bootstrap has DT_RPATH $ORIGIN/lib and no DT_RUNPATH;
#  3. the loader, with an empty environment, resolves every library that is
#     not glibc's to the zip's lib/;
#  4. `env -i bootstrap` starts and stops with the exact error about the
#     missing AWS_LAMBDA_RUNTIME_API.
# Then, as root (chroot), the first zip runs in a root file system holding
# only glibc's libraries in /lib64 and the zip in /var/task, with Lambda's
# LD_LIBRARY_PATH and the variables `unum lambda-local` sets: it loads the
# app module, opens its store, announces that it serves its function and
# then fails on the Runtime API, which nobody serves there; and, if /proc
# can be mounted there, it starts with only /lib64 on LD_LIBRARY_PATH
# (the zip's libraries found through RPATH alone).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/missing_dependency.sh"

unum=$1
app_dir=$2
app_name=$3
max_glibc=2.34
glibc_re='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libresolv\.so\.2|libutil\.so\.1|ld-linux-x86-64\.so\.2)$'

work=$(mktemp -d)
mounted=""
cleanup() {
  if [ -n "$mounted" ]; then umount "$mounted"; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
version_le() {  # dotted numeric versions: $1 <= $2 (no subprocess: it
  # runs for every versioned symbol of every ELF file)
  local -a a b
  IFS=. read -ra a <<<"$1"
  IFS=. read -ra b <<<"$2"
  local i
  for ((i = 0; i < ${#a[@]} || i < ${#b[@]}; i++)); do
    if ((10#${a[i]:-0} != 10#${b[i]:-0})); then
      ((10#${a[i]:-0} < 10#${b[i]:-0}))
      return
    fi
  done
}

"$unum" build "$app_dir" --platform aws --out "$work/aws" >"$work/build.out"
shopt -s nullglob
zips=("$work"/aws/*.zip)
[ ${#zips[@]} -gt 0 ] || fail "unum build wrote no zip"

for zip in "${zips[@]}"; do
  fn=$(basename "$zip" .zip)
  dir="$work/task/$fn"
  mkdir -p "$dir"
  unzip -q "$zip" -d "$dir"
  [ -x "$dir/bootstrap" ] || fail "$fn.zip: no executable bootstrap"

  # 1. Symbol versions and needed libraries of every ELF file.
  elves=0
  max_seen=0
  while IFS= read -r -d '' f; do
    head -c 4 "$f" | cmp -s - <(printf '\177ELF') || continue
    elves=$((elves + 1))
    rel=${f#"$dir"/}
    objdump -p "$f" >"$work/headers"
    while read -r lib; do
      [[ $lib =~ $glibc_re ]] || [ -f "$dir/lib/$lib" ] ||
        fail "$fn.zip: $rel needs $lib, which is neither glibc's nor in lib/"
    done < <(awk '$1 == "NEEDED" { print $2 }' "$work/headers")
    while read -r from version; do
      [[ $from =~ $glibc_re ]] || [ -f "$dir/lib/$from" ] ||
        fail "$fn.zip: $rel needs $version of $from, which is not shipped"
      case $version in
        GLIBC_PRIVATE)
          fail "$fn.zip: $rel needs GLIBC_PRIVATE of $from" ;;
        GLIBC_*)
          v=${version#GLIBC_}
          version_le "$v" "$max_glibc" ||
            fail "$fn.zip: $rel needs $version (of $from), above GLIBC_$max_glibc"
          version_le "$v" "$max_seen" || max_seen=$v ;;
        GLIBCXX_* | CXXABI_* | GCC_*)
          fail "$fn.zip: $rel needs $version of $from (libstdc++/libgcc_s)" ;;
      esac
    done < <(awk '/required from/ { from = $3; sub(":$", "", from); next }
                  from != "" && /^    0x/ { print from, $4; next }
                  { from = "" }' "$work/headers")
  done < <(find "$dir" -type f -print0)
  libs=$(find "$dir/lib" -type f 2>/dev/null | wc -l)
  [ "$elves" -ge 2 ] || fail "$fn.zip: only $elves ELF files"
  echo "$fn.zip: $elves ELF files, $libs in lib/, highest GLIBC_$max_seen"

  # 2. RPATH, not RUNPATH: Lambda's LD_LIBRARY_PATH must not come first.
  readelf -d "$dir/bootstrap" >"$work/dynamic"
  grep -q '(RPATH).*\[\$ORIGIN/lib\]' "$work/dynamic" ||
    fail "$fn.zip: bootstrap has no DT_RPATH \$ORIGIN/lib"
  if grep -q '(RUNPATH)' "$work/dynamic"; then
    fail "$fn.zip: bootstrap has a DT_RUNPATH"
  fi

  # 3. Where the loader finds each library (ldd's mechanism).
  env -i LD_TRACE_LOADED_OBJECTS=1 "$dir/bootstrap" >"$work/loaded"
  resolved=0
  while read -r lib arrow path _; do
    [ "$arrow" = "=>" ] || continue
    [[ $lib =~ $glibc_re ]] && continue
    [ "$path" = "$dir/lib/$lib" ] ||
      fail "$fn.zip: the loader finds $lib at $path, not in the zip's lib/"
    resolved=$((resolved + 1))
  done <"$work/loaded"
  [ "$resolved" -eq "$libs" ] ||
    fail "$fn.zip: the loader resolved $resolved libraries from lib/, $libs shipped"

  # 4. An empty environment: the process starts and names what is missing.
  set +e
  env -i "$dir/bootstrap" >"$work/out" 2>"$work/err"
  code=$?
  set -e
  [ "$code" -eq 1 ] || fail "$fn.zip: env -i bootstrap exited $code"
  [ "$(cat "$work/err")" = "[error] bootstrap: AWS_LAMBDA_RUNTIME_API is not set" ] ||
    fail "$fn.zip: env -i bootstrap said: $(cat "$work/err")"
done

chroot_bin=$(command -v chroot || true)
if [ "$(id -u)" -ne 0 ] || [ -z "$chroot_bin" ]; then
  # The checks above passed; the run in a chroot cannot happen here (a
  # skip, or a failure under CI=true).
  missing_dependency "not root (or no chroot): the run in a glibc-only root file system did not happen"
fi

# A root file system with glibc's libraries only, laid out like Amazon
# Linux's (/lib64), and the first zip as /var/task.
fn=$(basename "${zips[0]}" .zip)
root="$work/root"
mkdir -p "$root/lib64" "$root/var"
cp -a "$work/task/$fn" "$root/var/task"
while read -r lib arrow path _; do
  if [[ $lib =~ $glibc_re ]] && [ "$arrow" = "=>" ]; then
    cp -L "$path" "$root/lib64/$lib"
  fi
done < <(env -i LD_TRACE_LOADED_OBJECTS=1 "$root/var/task/bootstrap")
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/ld-linux-x86-64.so.2"
set +e
env -i \
  LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib \
  AWS_LAMBDA_RUNTIME_API=127.0.0.1:1 _HANDLER="$fn" LAMBDA_TASK_ROOT=/var/task \
  AWS_LAMBDA_FUNCTION_NAME="$fn" AWS_REGION=us-east-1 \
  AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  UNUM_STORE=memory:// UNUM_MODULE="/var/task/apps/$app_name.so" \
  UNUM_PLATFORM="lambda://?region=us-east-1&endpoint=http%3A%2F%2F127.0.0.1%3A1" \
  "$chroot_bin" "$root" /var/task/bootstrap >"$work/out" 2>"$work/err"
code=$?
set -e
[ "$code" -eq 1 ] || fail "chroot $fn: bootstrap exited $code: $(cat "$work/err")"
grep -qxF "[info] bootstrap: serving \"$fn\" (store memory://, platform lambda://?region=us-east-1&endpoint=http%3A%2F%2F127.0.0.1%3A1)" "$work/err" ||
  fail "chroot $fn: no 'serving' line: $(cat "$work/err")"
[ "$(grep -c '^\[error\] runtime API: ' "$work/err")" -eq 5 ] ||
  fail "chroot $fn: expected 5 Runtime API errors: $(cat "$work/err")"
echo "chroot $fn: started with glibc only ($(ls "$root/lib64" | tr '\n' ' ')), served, 5 Runtime API errors"

# $ORIGIN needs /proc (the loader reads /proc/self/exe). With /proc
# mounted, and only /lib64 on LD_LIBRARY_PATH, the loader must find the
# zip's libraries through the bootstrap's RPATH alone.
mkdir -p "$root/proc"
if ! mount -t proc proc "$root/proc" 2>/dev/null; then
  missing_dependency "cannot mount /proc in the chroot: the RPATH-only run did not happen"
fi
mounted="$root/proc"
set +e
env -i LD_LIBRARY_PATH=/lib64 "$chroot_bin" "$root" /var/task/bootstrap \
  >"$work/out" 2>"$work/err"
code=$?
set -e
[ "$code" -eq 1 ] || fail "chroot $fn with /proc: bootstrap exited $code: $(cat "$work/err")"
[ "$(cat "$work/err")" = "[error] bootstrap: AWS_LAMBDA_RUNTIME_API is not set" ] ||
  fail "chroot $fn with /proc: bootstrap said: $(cat "$work/err")"
echo "chroot $fn with /proc, LD_LIBRARY_PATH=/lib64: libraries found through RPATH"
