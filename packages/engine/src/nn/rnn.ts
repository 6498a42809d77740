/**
 * Recurrent layers, single layer, with PyTorch's parameter layout: `weightIh` [G·H, I],
 * `weightHh` [G·H, H], `biasIh` and `biasHh` [G·H], where G = 1 (RNN), 4 (LSTM: gates i, f, g,
 * o) or 3 (GRU: gates r, z, n), all initialised U(−1/√H, 1/√H).
 *
 * Sequences are time-major [T, B, I] like PyTorch's default (or [B, T, I] with `batchFirst`);
 * an unbatched [T, I] sequence is accepted too. The loop over time is plain code on
 * differentiable ops, so backpropagation through time is just `backward()`.
 *
 * Each layer also has a cell (`RNNCell`, `LSTMCell`, `GRUCell`) that takes one step, for the
 * chapter's from-scratch loops.
 */
import { Tensor } from '../tensor.ts';
import type { DType } from '../dtype.ts';
import { DescentError, ShapeError } from '../errors.ts';
import type { Generator } from '../random.ts';
import { matmul } from '../ops/matmul.ts';
import { narrow, permute, reshape, select, stack, transpose, unsqueeze } from '../ops/movement.ts';
import { add, mul, sub, tanh, sigmoid, relu } from '../ops/elementwise.ts';
import { Module } from './module.ts';
import { parameter } from './layers.ts';
import { uniform_ } from './init.ts';

/** Options of the recurrent layers. */
export interface RNNOptions {
  /** Include biasIh and biasHh. Default true. */
  bias?: boolean;
  /** Sequences as [B, T, I] instead of [T, B, I]. Default false. */
  batchFirst?: boolean;
  dtype?: DType;
  generator?: Generator;
}

abstract class RecurrentBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly batchFirst: boolean;
  weightIh: Tensor;
  weightHh: Tensor;
  biasIh: Tensor | null;
  biasHh: Tensor | null;

  constructor(
    name: string,
    gates: number,
    inputSize: number,
    hiddenSize: number,
    options: RNNOptions,
  ) {
    super();
    for (const [what, v] of [
      ['inputSize', inputSize],
      ['hiddenSize', hiddenSize],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new DescentError(`${name}: ${what} must be a positive integer, got ${v}`);
      }
    }
    const { bias = true, batchFirst = false, dtype = 'float32', generator } = options;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.batchFirst = batchFirst;
    this.weightIh = parameter([gates * hiddenSize, inputSize], dtype);
    this.weightHh = parameter([gates * hiddenSize, hiddenSize], dtype);
    this.biasIh = bias ? parameter([gates * hiddenSize], dtype) : null;
    this.biasHh = bias ? parameter([gates * hiddenSize], dtype) : null;
    const k = 1 / Math.sqrt(hiddenSize);
    for (const p of this.parameters()) uniform_(p, -k, k, generator);
  }

  /** Validate and bring x to time-major [T, B, I]; remember whether it was unbatched. */
  protected prepare(name: string, x: Tensor): { xs: Tensor; unbatched: boolean } {
    if (!(x instanceof Tensor) || (x.ndim !== 3 && x.ndim !== 2)) {
      const got = x instanceof Tensor ? `[${x.shape.join(', ')}]` : typeof x;
      const layout = this.batchFirst ? '[B, T, I]' : '[T, B, I]';
      throw new ShapeError(`${name}: input must be ${layout} or [T, I], got ${got}`);
    }
    if (x.shape[x.ndim - 1] !== this.inputSize) {
      throw new ShapeError(
        `${name}: input must have ${this.inputSize} features on its last axis, got [${x.shape.join(', ')}]`,
      );
    }
    if (x.ndim === 2) return { xs: unsqueeze(x, 1), unbatched: true };
    return { xs: this.batchFirst ? permute(x, [1, 0, 2]) : x, unbatched: false };
  }

  /** The initial state for batch size B: the given one (checked) or zeros. */
  protected initialState(
    name: string,
    what: string,
    s: Tensor | null | undefined,
    B: number,
    unbatched: boolean,
    dtype: DType,
  ): Tensor {
    const H = this.hiddenSize;
    if (s === undefined || s === null)
      return new Tensor(dtype === 'float64' ? new Float64Array(B * H) : new Float32Array(B * H), [
        B,
        H,
      ]);
    const expected = unbatched ? [H] : [B, H];
    const ok = s.ndim === expected.length && s.shape.every((d, i) => d === expected[i]);
    // Also accept PyTorch's [1, B, H] (num_layers = 1).
    if (!ok && !(s.ndim === 3 && s.shape[0] === 1 && s.shape[1] === B && s.shape[2] === H)) {
      throw new ShapeError(
        `${name}: ${what} must be [${expected.join(', ')}], got [${s.shape.join(', ')}]`,
      );
    }
    return reshape(s, [B, H]);
  }

  /**
   * W_ih·x_t + b_ih for step t, feature-major: [G·H, B] from xsT [T, I, B].
   *
   * NOTE: the loop runs feature-major ([features, batch]) so that each gate is a contiguous block
   * of rows (a cheap slice, with a cheap backward), and the input part is computed step by step
   * rather than as one [T, ·, ·] product sliced afterwards, because the backward of each slice is
   * a full-size tensor: slicing a shared projection would cost O(T²) in backpropagation through
   * time. Slicing the input is free when it does not require grad.
   */
  protected inputProjection(xsT: Tensor, t: number): Tensor {
    return affineT(this.weightIh, select(xsT, 0, t), this.biasIh);
  }

  /** The input as [T, I, B] for the feature-major loop. */
  protected featureMajor(xs: Tensor): Tensor {
    return permute(xs, [0, 2, 1]);
  }

  /** Turn the per-step feature-major outputs [H, B] back into the caller's layout. */
  protected finish(outputs: Tensor[], unbatched: boolean): Tensor {
    const out = stack(outputs, 0); // [T, H, B]
    if (unbatched) return reshape(out, [outputs.length, this.hiddenSize]);
    return permute(out, this.batchFirst ? [2, 0, 1] : [0, 2, 1]);
  }

  /** A final state [H, B] as [B, H] (or [H] unbatched). */
  protected finalState(hT: Tensor, unbatched: boolean): Tensor {
    return unbatched ? reshape(hT, [this.hiddenSize]) : transpose(hT, 0, 1);
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.batchFirst ? ', batchFirst=true' : ''}`;
  }
}

/** W·v + b for feature-major v [in, B]: [out, B]. */
function affineT(weight: Tensor, vT: Tensor, bias: Tensor | null): Tensor {
  const out = matmul(weight, vT);
  return bias ? add(out, reshape(bias, [bias.shape[0], 1])) : out;
}

/** h' = act(W_ih x + b_ih + W_hh h + b_hh) for one step (feature-major), given the input part. */
function rnnStep(
  xPart: Tensor,
  h: Tensor,
  weightHh: Tensor,
  biasHh: Tensor | null,
  nonlinearity: 'tanh' | 'relu',
): Tensor {
  const pre = add(xPart, affineT(weightHh, h, biasHh));
  return nonlinearity === 'tanh' ? tanh(pre) : relu(pre);
}

/** One LSTM step from the input part [4H, B] (feature-major); returns the new h and c. */
function lstmStep(
  xPart: Tensor,
  h: Tensor,
  c: Tensor,
  weightHh: Tensor,
  biasHh: Tensor | null,
  H: number,
) {
  const gates = add(xPart, affineT(weightHh, h, biasHh));
  const i = sigmoid(narrow(gates, 0, 0, H));
  const f = sigmoid(narrow(gates, 0, H, H));
  const g = tanh(narrow(gates, 0, 2 * H, H));
  const o = sigmoid(narrow(gates, 0, 3 * H, H));
  const c2 = add(mul(f, c), mul(i, g));
  const h2 = mul(o, tanh(c2));
  return { h: h2, c: c2 };
}

/** One GRU step from the input part [3H, B] (feature-major). */
function gruStep(
  xPart: Tensor,
  h: Tensor,
  weightHh: Tensor,
  biasHh: Tensor | null,
  H: number,
): Tensor {
  const hPart = affineT(weightHh, h, biasHh);
  const r = sigmoid(add(narrow(xPart, 0, 0, H), narrow(hPart, 0, 0, H)));
  const z = sigmoid(add(narrow(xPart, 0, H, H), narrow(hPart, 0, H, H)));
  // NOTE: PyTorch applies the reset gate to (W_hn h + b_hn), bias included.
  const n = tanh(add(narrow(xPart, 0, 2 * H, H), mul(r, narrow(hPart, 0, 2 * H, H))));
  // h' = (1 − z)·n + z·h = n + z·(h − n)
  return add(n, mul(z, sub(h, n)));
}

/**
 * Elman RNN, like `torch.nn.RNN` (one layer): h_t = tanh(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh).
 *
 * @example
 * const rnn = new nn.RNN(1, 16);
 * const { output, h } = rnn.forward(zeros([10, 4, 1])); // x [T, B, I]
 * [output.shape, h.shape]; // [[10, 4, 16], [4, 16]]
 */
export class RNN extends RecurrentBase {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(
    inputSize: number,
    hiddenSize: number,
    options: RNNOptions & { nonlinearity?: 'tanh' | 'relu' } = {},
  ) {
    super('RNN', 1, inputSize, hiddenSize, options);
    const { nonlinearity = 'tanh' } = options;
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new DescentError(
        `RNN: nonlinearity must be 'tanh' or 'relu', got ${String(nonlinearity)}`,
      );
    }
    this.nonlinearity = nonlinearity;
  }

  override forward(x: Tensor, h0?: Tensor | null): { output: Tensor; h: Tensor } {
    const { xs, unbatched } = this.prepare('RNN', x);
    const [T, B] = xs.shape;
    const xsT = this.featureMajor(xs);
    let h = transpose(this.initialState('RNN', 'h', h0, B, unbatched, xs.dtype), 0, 1);
    const outputs: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      h = rnnStep(this.inputProjection(xsT, t), h, this.weightHh, this.biasHh, this.nonlinearity);
      outputs.push(h);
    }
    return { output: this.finish(outputs, unbatched), h: this.finalState(h, unbatched) };
  }
}

/**
 * Long short-term memory, like `torch.nn.LSTM` (one layer), gate order i, f, g, o:
 * c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
 *
 * @example
 * const lstm = new nn.LSTM(2, 32);
 * const { output, h, c } = lstm.forward(zeros([10, 4, 2]));
 * [output.shape, h.shape, c.shape]; // [[10, 4, 32], [4, 32], [4, 32]]
 */
export class LSTM extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('LSTM', 4, inputSize, hiddenSize, options);
  }

  override forward(
    x: Tensor,
    state?: { h?: Tensor | null; c?: Tensor | null } | null,
  ): { output: Tensor; h: Tensor; c: Tensor } {
    const { xs, unbatched } = this.prepare('LSTM', x);
    const [T, B] = xs.shape;
    const xsT = this.featureMajor(xs);
    let h = transpose(this.initialState('LSTM', 'h', state?.h, B, unbatched, xs.dtype), 0, 1);
    let c = transpose(this.initialState('LSTM', 'c', state?.c, B, unbatched, xs.dtype), 0, 1);
    const outputs: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      ({ h, c } = lstmStep(
        this.inputProjection(xsT, t),
        h,
        c,
        this.weightHh,
        this.biasHh,
        this.hiddenSize,
      ));
      outputs.push(h);
    }
    return {
      output: this.finish(outputs, unbatched),
      h: this.finalState(h, unbatched),
      c: this.finalState(c, unbatched),
    };
  }
}

/**
 * Gated recurrent unit, like `torch.nn.GRU` (one layer), gate order r, z, n:
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
 *
 * @example
 * const gru = new nn.GRU(2, 32);
 * const { output, h } = gru.forward(zeros([10, 4, 2]));
 * [output.shape, h.shape]; // [[10, 4, 32], [4, 32]]
 */
export class GRU extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('GRU', 3, inputSize, hiddenSize, options);
  }

  override forward(x: Tensor, h0?: Tensor | null): { output: Tensor; h: Tensor } {
    const { xs, unbatched } = this.prepare('GRU', x);
    const [T, B] = xs.shape;
    const xsT = this.featureMajor(xs);
    let h = transpose(this.initialState('GRU', 'h', h0, B, unbatched, xs.dtype), 0, 1);
    const outputs: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      h = gruStep(this.inputProjection(xsT, t), h, this.weightHh, this.biasHh, this.hiddenSize);
      outputs.push(h);
    }
    return { output: this.finish(outputs, unbatched), h: this.finalState(h, unbatched) };
  }
}

// ---------------------------------------------------------------------------------------------
// Cells: one time step.

function cellInput(name: string, x: Tensor, inputSize: number): Tensor {
  if (!(x instanceof Tensor) || x.ndim !== 2 || x.shape[1] !== inputSize) {
    const got = x instanceof Tensor ? `[${x.shape.join(', ')}]` : typeof x;
    throw new ShapeError(`${name}: input must be [B, ${inputSize}], got ${got}`);
  }
  return x;
}

/** One step of an Elman RNN, like `torch.nn.RNNCell`: forward(x [B, I], h [B, H]) → h'. */
export class RNNCell extends RecurrentBase {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(
    inputSize: number,
    hiddenSize: number,
    options: RNNOptions & { nonlinearity?: 'tanh' | 'relu' } = {},
  ) {
    super('RNNCell', 1, inputSize, hiddenSize, options);
    this.nonlinearity = options.nonlinearity ?? 'tanh';
  }
  override forward(x: Tensor, h?: Tensor | null): Tensor {
    cellInput('RNNCell', x, this.inputSize);
    const h0 = this.initialState('RNNCell', 'h', h, x.shape[0], false, x.dtype);
    const xT = transpose(x, 0, 1);
    const hT = transpose(h0, 0, 1);
    const xPart = affineT(this.weightIh, xT, this.biasIh);
    return transpose(rnnStep(xPart, hT, this.weightHh, this.biasHh, this.nonlinearity), 0, 1);
  }
}

/** One LSTM step, like `torch.nn.LSTMCell`: forward(x, { h, c }) → { h, c }. */
export class LSTMCell extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('LSTMCell', 4, inputSize, hiddenSize, options);
  }
  override forward(
    x: Tensor,
    state?: { h?: Tensor | null; c?: Tensor | null } | null,
  ): { h: Tensor; c: Tensor } {
    cellInput('LSTMCell', x, this.inputSize);
    const B = x.shape[0];
    const h = this.initialState('LSTMCell', 'h', state?.h, B, false, x.dtype);
    const c = this.initialState('LSTMCell', 'c', state?.c, B, false, x.dtype);
    const xPart = affineT(this.weightIh, transpose(x, 0, 1), this.biasIh);
    const hT = transpose(h, 0, 1);
    const cT = transpose(c, 0, 1);
    const next = lstmStep(xPart, hT, cT, this.weightHh, this.biasHh, this.hiddenSize);
    return { h: transpose(next.h, 0, 1), c: transpose(next.c, 0, 1) };
  }
}

/** One GRU step, like `torch.nn.GRUCell`: forward(x [B, I], h [B, H]) → h'. */
export class GRUCell extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('GRUCell', 3, inputSize, hiddenSize, options);
  }
  override forward(x: Tensor, h?: Tensor | null): Tensor {
    cellInput('GRUCell', x, this.inputSize);
    const h0 = this.initialState('GRUCell', 'h', h, x.shape[0], false, x.dtype);
    const xPart = affineT(this.weightIh, transpose(x, 0, 1), this.biasIh);
    const hT = transpose(h0, 0, 1);
    return transpose(gruStep(xPart, hT, this.weightHh, this.biasHh, this.hiddenSize), 0, 1);
  }
}
