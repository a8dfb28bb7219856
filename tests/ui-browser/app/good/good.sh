#!/bin/sh
# Outputs a 6,000-character string, more than the page shows inline.
cat >/dev/null
printf '{"good": true, "blob": "'
head -c 6000 /dev/zero | tr '\0' x
printf '"}\n'
