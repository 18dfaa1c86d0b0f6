#!/usr/bin/env bash
# Plays a browser that can't open anything, for the E2E test of a sign-in whose browser
# didn't open: xdg-open hands it the URL (through $BROWSER), it fails, and xdg-open then
# finds no other way and exits with its own failure code.
exit 1
