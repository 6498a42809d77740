/**
 * Executable documentation of the engine core: every `@example` in its TSDoc runs (see
 * ../helpers/docs.ts), every core file has examples, and every exported function has one.
 */
import { readdirSync } from 'node:fs';
import { describeDocExamples, srcDir } from '../helpers/docs.ts';

const files = [
  'tensor.ts',
  'shape.ts',
  'dtype.ts',
  'errors.ts',
  'autograd.ts',
  'creation.ts',
  'random.ts',
  ...readdirSync(srcDir + 'ops').map((f) => 'ops/' + f),
];

describeDocExamples('TSDoc examples run', files, {
  everyFile: { except: ['ops/gradients.ts'], atLeast: 100 },
});
