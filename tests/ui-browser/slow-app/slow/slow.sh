#!/bin/sh
sleep 2
cat
