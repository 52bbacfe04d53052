#!/usr/bin/env node
// The `msi-emulator` command: the CLI is TypeScript, run through tsx's loader (no build step).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/msi-emulator.ts");
