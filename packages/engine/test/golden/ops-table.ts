/**
 * The fixture op names of core.json and special-values.json, mapped to the engine's API.
 */
import { F, Tensor, concat, linear, scatterAdd, stack, where } from '@descent/engine';
import { toTensor, type FixtureTensor } from './fixtures.ts';

export type Args = Record<string, unknown>;
export type OpFn = (inputs: Tensor[], args: Args) => Tensor;

const unary = (name: keyof Tensor & string): OpFn => {
  return ([x]) => (x[name] as () => Tensor)();
};

const binary = (name: 'add' | 'sub' | 'mul' | 'div' | 'pow'): OpFn => {
  return ([a, b], args) => {
    if (b !== undefined) return a[name](b);
    if (typeof args.scalar === 'number') return a[name](args.scalar);
    return a[name](args.exponent as number);
  };
};

const reduction = (name: 'sum' | 'mean' | 'max' | 'min'): OpFn => {
  return ([x], args) => {
    const axis = args.axis as number | number[] | undefined;
    if (axis === undefined) return x[name]();
    return x[name](axis, (args.keepDims as boolean | undefined) ?? false);
  };
};

function varianceOptions(a: Args): { correction?: number; keepDims?: boolean } {
  return {
    correction: a.correction as number | undefined,
    keepDims: a.keepDims as boolean | undefined,
  };
}

export const ops: Record<string, OpFn> = {
  neg: unary('neg'),
  exp: unary('exp'),
  log: unary('log'),
  sqrt: unary('sqrt'),
  abs: unary('abs'),
  sin: unary('sin'),
  cos: unary('cos'),
  tanh: unary('tanh'),
  sigmoid: unary('sigmoid'),
  relu: unary('relu'),
  clamp: ([x], a) =>
    x.clamp((a.min as number | undefined) ?? null, (a.max as number | undefined) ?? null),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  pow: binary('pow'),
  sum: reduction('sum'),
  mean: reduction('mean'),
  max: reduction('max'),
  min: reduction('min'),
  matmul: ([a, b]) => a.matmul(b),
  reshape: ([x], a) => x.reshape(a.shape as number[]),
  permute: ([x], a) => x.permute(a.axes as number[]),
  transpose: ([x], a) => {
    const [d0, d1] = a.axes as number[];
    return x.transpose(d0, d1);
  },
  slice: ([x], a) => {
    let y = x;
    (a.ranges as ([number, number | null, number] | null)[]).forEach((r, axis) => {
      if (r !== null) y = y.slice(axis, r[0], r[1] ?? undefined, r[2]);
    });
    return y;
  },
  gather: ([x], a) => x.gather(a.axis as number, toTensor(a.index as FixtureTensor)),
  concat: (xs, a) => concat(xs, a.axis as number),
  stack: (xs, a) => stack(xs, a.axis as number),
  where: ([x, y], a) => where(toTensor(a.condition as FixtureTensor), x, y),
  maximum: ([a, b]) => a.maximum(b),
  minimum: ([a, b]) => a.minimum(b),
  square: unary('square'),
  reciprocal: unary('reciprocal'),
  logsumexp: ([x], a) =>
    a.axis === undefined
      ? x.logsumexp()
      : x.logsumexp(a.axis as number | number[], (a.keepDims as boolean | undefined) ?? false),
  var: ([x], a) => x.var(a.axis as number | number[] | undefined, varianceOptions(a)),
  std: ([x], a) => x.std(a.axis as number | number[] | undefined, varianceOptions(a)),
  expand: ([x], a) => x.expand(a.shape as number[]),
  flatten: ([x], a) => x.flatten(a.startDim as number, a.endDim as number),
  squeeze: ([x], a) => x.squeeze(a.axis as number | undefined),
  unsqueeze: ([x], a) => x.unsqueeze(a.axis as number),
  pad: ([x], a) => x.pad(a.widths as number[], (a.value as number | undefined) ?? 0),
  indexSelect: ([x], a) => x.indexSelect(a.axis as number, a.indices as number[]),
  select: ([x], a) => x.select(a.axis as number, a.index as number),
  narrow: ([x], a) => x.narrow(a.axis as number, a.start as number, a.length as number),
  scatterAdd: ([x, src], a) =>
    scatterAdd(x, a.axis as number, toTensor(a.index as FixtureTensor), src),
  linear: ([x, w, b]) => linear(x, w, b),
  argmax: ([x], a) => x.argmax(a.axis as number | undefined),
  argmin: ([x], a) => x.argmin(a.axis as number | undefined),
  softmax: ([x], a) => F.softmax(x, a.axis as number),
  logSoftmax: ([x], a) => F.logSoftmax(x, a.axis as number),
  crossEntropy: ([x, t]) => F.crossEntropy(x, t),
  'F.leakyRelu': ([x], a) => F.leakyRelu(x, a.negativeSlope as number),
  'F.elu': ([x], a) => F.elu(x, a.alpha as number),
  'F.softplus': ([x], a) => F.softplus(x, a.beta as number, a.threshold as number),
  'F.gelu': ([x], a) => F.gelu(x, a.approximate as 'none' | 'tanh'),
  'F.bceWithLogitsLoss': ([x, t], a) => F.bceWithLogitsLoss(x, t, a),
  composite: ([x, w], a) => {
    switch (a.fn) {
      case 'x*x+exp(x)-x/2':
        return x.mul(x).add(x.exp()).sub(x.div(2));
      case 'tanh(x@w).sum(1)*x.mean(1)':
        return x.matmul(w).tanh().sum(1).mul(x.mean(1));
      default:
        throw new Error(`no composite ${String(a.fn)}`);
    }
  },
};

function tensorArg(args: Args, key: string): Tensor | undefined {
  const t = args[key] as FixtureTensor | undefined;
  return t ? toTensor(t) : undefined;
}

/** The options object F takes, from the fixture's camelCase args (tensors converted). */
function options(args: Args): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const key of ['weight', 'posWeight']) if (key in args) out[key] = tensorArg(args, key);
  return out;
}

/** torch.nn.functional activations by fixture name. */
export const activationOps: Record<string, OpFn> = {
  sigmoid: ([x]) => F.sigmoid(x),
  tanh: ([x]) => F.tanh(x),
  relu: ([x]) => F.relu(x),
  leakyRelu: ([x], a) => F.leakyRelu(x, a.negativeSlope as number),
  elu: ([x], a) => F.elu(x, a.alpha as number),
  softplus: ([x], a) => F.softplus(x, a.beta as number, a.threshold as number),
  gelu: ([x], a) => F.gelu(x, { approximate: a.approximate as 'none' | 'tanh' }),
  softmax: ([x], a) => F.softmax(x, a.axis as number),
  logSoftmax: ([x], a) => F.logSoftmax(x, a.axis as number),
};

/** torch.nn.functional losses by fixture name. */
export const lossOps: Record<string, OpFn> = {
  mseLoss: ([p, t], a) => F.mseLoss(p, t, options(a)),
  l1Loss: ([p, t], a) => F.l1Loss(p, t, options(a)),
  huberLoss: ([p, t], a) => F.huberLoss(p, t, options(a)),
  smoothL1Loss: ([p, t], a) => F.smoothL1Loss(p, t, options(a)),
  bceLoss: ([p, t], a) => F.bceLoss(p, t, options(a)),
  bceWithLogitsLoss: ([p, t], a) => F.bceWithLogitsLoss(p, t, options(a)),
  crossEntropy: ([x, t], a) => F.crossEntropy(x, t, options(a)),
  nllLoss: ([x, t], a) => F.nllLoss(x, t, options(a)),
};
