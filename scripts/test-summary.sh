#!/usr/bin/env bash
# Prints the plain closing line 'N passed, N failed' from XCTest's log, so any reader can count the run.
log="$1"
passed=$(grep -cE "^Test Case '.*' passed" "$log" || true)
failed=$(grep -cE "^Test Case '.*' failed" "$log" || true)
skipped=$(grep -cE "^Test Case '.*' skipped" "$log" || true)
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
