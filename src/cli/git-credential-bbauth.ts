#!/usr/bin/env node
/** Placeholder for the git credential helper entry point (`credential.helper = bbauth`). Answers nothing. */
process.exitCode = 0;
