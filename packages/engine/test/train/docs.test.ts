/**
 * Executable documentation for the layers, optimizers, schedules, data and training helpers:
 * every `@example` in their TSDoc runs (see ../helpers/docs.ts), async examples too, and every
 * exported function reachable from the public API has an example.
 */
import { readdirSync } from 'node:fs';
import * as engine from '@descent/engine';
import { describeDocExamples, engineNames, srcDir } from '../helpers/docs.ts';

const dirs = ['nn', 'optim', 'schedules', 'data', 'train'];
const files = [
  ...dirs.flatMap((d) => readdirSync(srcDir + d).map((f) => `${d}/${f}`)),
  ...['conv', 'norm', 'dropout', 'penalties'].map((f) => `functional/${f}.ts`),
].filter((f) => f.endsWith('.ts'));

const E = engine as unknown as Record<string, Record<string, unknown>>;
/** Names reachable from the public API: top level, F, nn, nn.init, optim and its namespaces. */
const publicNames = new Set([
  ...engineNames,
  ...[E.F, E.nn, E.nn.init, E.optim, E.optim.lineSearch, E.optim.lrScheduler].flatMap((ns) =>
    Object.keys(ns as object),
  ),
]);

describeDocExamples(
  'TSDoc examples of layers, optimizers, schedules, data and training run',
  files,
  { publicNames },
);
