#!/usr/bin/env node
// The `certtrail` command: loads the TypeScript sources through tsx, so a checkout needs no build.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
