#!/bin/sh
cat >/dev/null
echo "disk on fire: sector 7" >&2
exit 1
