/**
 * F activations: values against plain-JS formulas, first and second derivatives against
 * finite differences (checkOp), derivatives at the kinks (PyTorch's choices), NaN
 * propagation, numerical range, and errors. The golden tests compare with PyTorch itself.
 */
import { describe, expect, it } from 'vitest';
import { F, Tensor, grad, tensor, type NestedArray } from '@descent/engine';
import { checkOp, expectError } from '../helpers/check-op.ts';

const map = (f: (v: number) => number) => (x: number[]) => x.map(f);
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const f64 = (values: NestedArray) => tensor(values, { dtype: 'float64' });

/** d/dx of an elementwise F at each point, by autograd. */
function derivative(f: (x: Tensor) => Tensor, points: number[]): number[] {
  return Array.from(grad((x: Tensor) => f(x).sum())(f64(points)).data);
}

describe('activations: values, gradients and second derivatives', () => {
  it('sigmoid', () => checkOp([[3, 4]], (x) => F.sigmoid(x), { reference: map(sigmoid) }));
  it('tanh', () => checkOp([[3, 4]], (x) => F.tanh(x), { reference: map(Math.tanh) }));
  it('relu', () =>
    checkOp([[3, 4]], (x) => F.relu(x), { reference: map((v) => Math.max(v, 0)), avoid: [0] }));
  it('leakyRelu', () =>
    checkOp([[3, 4]], (x) => F.leakyRelu(x, 0.2), {
      reference: map((v) => (v > 0 ? v : 0.2 * v)),
      avoid: [0],
    }));
  it('leakyRelu default slope 0.01', () =>
    expect(F.leakyRelu(f64([-3])).item()).toBeCloseTo(-0.03, 15));
  it('elu', () =>
    checkOp([[3, 4]], (x) => F.elu(x, 0.7), {
      reference: map((v) => (v > 0 ? v : 0.7 * (Math.exp(v) - 1))),
      avoid: [0],
    }));
  it('softplus (beta 1, threshold 20)', () =>
    checkOp([[3, 4]], (x) => F.softplus(x), {
      reference: map((v) => Math.log1p(Math.exp(v))),
      domain: [-5, 5],
    }));
  it('softplus with beta 2 and threshold 3 (linear beyond x = 1.5)', () =>
    checkOp([[3, 4]], (x) => F.softplus(x, 2, 3), {
      reference: map((v) => (2 * v > 3 ? v : Math.log1p(Math.exp(2 * v)) / 2)),
      domain: [-3, 3],
      avoid: [1.5],
    }));
  it('gelu exact', () =>
    checkOp([[3, 4]], (x) => F.gelu(x), {
      reference: map((v) => 0.5 * v * F.erfc(-v / Math.SQRT2)),
      domain: [-4, 4],
    }));
  it('gelu tanh approximation', () =>
    checkOp([[3, 4]], (x) => F.gelu(x, { approximate: 'tanh' }), {
      reference: map(
        (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
      ),
      domain: [-4, 4],
    }));
  it('softmax over the last axis', () =>
    checkOp([[3, 4]], (x) => F.softmax(x), {
      reference: (x) => {
        const out: number[] = [];
        for (let r = 0; r < 3; r++) {
          const row = x.slice(4 * r, 4 * r + 4).map(Math.exp);
          const s = row.reduce((a, b) => a + b, 0);
          out.push(...row.map((v) => v / s));
        }
        return out;
      },
    }));
  it('softmax over axis 0 and a middle axis', () => {
    checkOp([[3, 4]], (x) => F.softmax(x, 0));
    checkOp([[2, 3, 2]], (x) => F.softmax(x, 1));
  });
  it('logSoftmax', () => {
    checkOp([[3, 4]], (x) => F.logSoftmax(x));
    checkOp([[2, 3, 2]], (x) => F.logSoftmax(x, -2));
  });
  it('erf and normalCdf on tensors (derivatives through the third order)', () => {
    checkOp([[5]], (x) => F.erf(x), { reference: map((v) => F.erf(v)), domain: [-3, 3] });
    checkOp([[5]], (x) => F.erfc(x), { reference: map((v) => F.erfc(v)), domain: [-3, 3] });
    checkOp([[5]], (x) => F.normalCdf(x), { reference: map((v) => F.normalCdf(v)) });
    // Third derivative of erf at 0.5: (4x² − 2)·(2/√π)·e^(−x²).
    const d1 = (x: Tensor) => grad((y: Tensor) => F.erf(y).sum())(x);
    const d2 = (x: Tensor) => grad((y: Tensor) => d1(y).sum())(x);
    const d3 = grad((y: Tensor) => d2(y).sum())(f64([0.5]));
    expect(d3.item()).toBeCloseTo((4 * 0.25 - 2) * (2 / Math.sqrt(Math.PI)) * Math.exp(-0.25), 14);
  });
});

describe('activations: derivatives at kinks are PyTorch’s', () => {
  it('relu′(0) = 0', () => expect(derivative(F.relu, [0, -1, 1])).toEqual([0, 0, 1]));
  it('leakyRelu′(0) = negativeSlope', () =>
    expect(derivative((x) => F.leakyRelu(x, 0.2), [0, -1, 1])).toEqual([0.2, 0.2, 1]));
  it('elu′(0) = alpha', () => expect(derivative((x) => F.elu(x, 0.5), [0, 2])).toEqual([0.5, 1]));
  it('softplus′ at the threshold uses the smooth branch, beyond it is exactly 1', () => {
    const [atThreshold, beyond] = derivative((x) => F.softplus(x, 1, 20), [20, 21]);
    expect(atThreshold).toBeCloseTo(sigmoid(20), 15);
    expect(beyond).toBe(1);
  });
});

describe('activations: options as numbers or objects', () => {
  const x = f64([-2, -0.5, 0.5, 3]);
  const same = (a: Tensor, b: Tensor) => expect(Array.from(a.data)).toEqual(Array.from(b.data));
  it('leakyRelu(x, 0.2) = leakyRelu(x, { negativeSlope: 0.2 })', () =>
    same(F.leakyRelu(x, 0.2), F.leakyRelu(x, { negativeSlope: 0.2 })));
  it('elu(x, 0.5) = elu(x, { alpha: 0.5 })', () => same(F.elu(x, 0.5), F.elu(x, { alpha: 0.5 })));
  it('softplus(x, 2, 1) = softplus(x, { beta: 2, threshold: 1 })', () =>
    same(F.softplus(x, 2, 1), F.softplus(x, { beta: 2, threshold: 1 })));
  it('softmax(x, 0) = softmax(x, { axis: 0 }) = softmax(x, { dim: 0 })', () => {
    const m = f64([
      [1, 2],
      [3, 5],
    ]);
    same(F.softmax(m, 0), F.softmax(m, { axis: 0 }));
    same(F.logSoftmax(m, 0), F.logSoftmax(m, { dim: 0 }));
  });
  it("gelu(x, 'tanh') = gelu(x, { approximate: 'tanh' })", () =>
    same(F.gelu(x, 'tanh'), F.gelu(x, { approximate: 'tanh' })));
});

describe('activations: numerical range', () => {
  it('softmax and logSoftmax of huge logits stay finite (log-sum-exp shift)', () => {
    const x = f64([1000, 1001, 999]);
    const p = Array.from(F.softmax(x).data);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expect(F.logSoftmax(x).data[1]).toBeCloseTo(-Math.log(1 + Math.exp(-1) + Math.exp(-2)), 14);
  });
  it('softmax gives 0 to −∞ logits (masking)', () => {
    expect(Array.from(F.softmax(f64([0, -Infinity, 0])).data)).toEqual([0.5, 0, 0.5]);
  });
  it('elu and softplus do not overflow for large inputs, and their gradients stay finite', () => {
    const big = [800, -800];
    expect(Array.from(F.elu(f64(big)).data)).toEqual([800, -1]);
    expect(Array.from(F.softplus(f64(big)).data)).toEqual([800, 0]);
    expect(derivative(F.elu, big)).toEqual([1, 0]);
    expect(derivative((x) => F.softplus(x), big)).toEqual([1, 0]);
  });
  it('gelu keeps relative accuracy far in the negative tail', () => {
    // gelu(−10) = −10·Φ(−10) = −7.6198530241605e-23 (Φ(−10) = 7.6198530241605e-24).
    expect(F.gelu(f64([-10])).item() / -7.6198530241605e-23).toBeCloseTo(1, 12);
  });
  it('float32 in, float32 out', () => {
    const x = tensor([-1, 0, 2]);
    for (const y of [F.gelu(x), F.softplus(x), F.elu(x), F.softmax(x), F.leakyRelu(x)]) {
      expect(y.dtype).toBe('float32');
    }
  });
  it('NaN propagates', () => {
    const x = f64([NaN]);
    const fs = [F.sigmoid, F.tanh, F.relu, F.leakyRelu, F.elu, F.softplus, F.gelu, F.softmax];
    for (const f of fs) expect(Number.isNaN(f(x).item()), f.name).toBe(true);
  });
});

describe('activations: errors name the function and what was wrong', () => {
  it('a plain array instead of a tensor', () =>
    expectError(() => F.gelu([1, 2] as unknown as Tensor), 'gelu', 'Tensor', 'array'));
  it('softmax of a 0-d tensor', () => expectError(() => F.softmax(tensor(1)), 'softmax', '0-d'));
  it('logSoftmax along a missing axis', () =>
    expectError(() => F.logSoftmax(tensor([[1, 2]]), 2), 'logSoftmax', 'axis 2'));
  it('gelu with an unknown approximation', () =>
    expectError(
      () => F.gelu(tensor([1]), { approximate: 'erf' as 'none' }),
      'gelu',
      "'none' or 'tanh'",
      'erf',
    ));
  it('leakyRelu with a non-number slope', () =>
    expectError(
      () => F.leakyRelu(tensor([1]), '0.1' as unknown as number),
      'leakyRelu',
      'negativeSlope',
    ));
});
