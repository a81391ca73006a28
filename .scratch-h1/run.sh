#!/bin/sh
# run given test files only
cd /work/main && npx mocha --no-config --extension ts --node-option import=tsx --timeout 20000 --exit "$@"
