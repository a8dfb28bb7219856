#!/bin/sh
sleep 3
cat
