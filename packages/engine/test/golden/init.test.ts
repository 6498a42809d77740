/**
 * `nn.init` against torch.nn.init's formulas: gains, fans, and the bound or standard deviation
 * of every scheme, plus the default initialisation of Linear and Conv2d. The random numbers
 * differ between the two engines, so large tensors are checked for range and spread.
 */
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, nn, zeros } from '@descent/engine';
import { expectClose, loadFixture } from './fixtures.ts';

interface Scheme {
  shape: number[];
  fanIn: number;
  fanOut: number;
  xavierUniformBound: number;
  xavierNormalStd: number;
  kaimingUniformBound: number;
  kaimingUniformReluFanOutBound: number;
  kaimingNormalStd: number;
  defaultWeightBound: number;
  defaultBiasBound: number;
}
interface InitCase {
  name: string;
  gains: { nonlinearity: string; param: number | null; gain: number }[];
  schemes: Scheme[];
}

const { cases } = loadFixture<InitCase>('init.json');
const { gains, schemes } = cases[0];
type Init = typeof nn.init;
const init: Init = nn.init;

function absMax(t: Tensor): number {
  return Array.from(t.data).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}
function std(t: Tensor): number {
  const values = Array.from(t.data);
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}
/** Uniform U(−b, b) on many samples: nothing beyond b, and the extremes come close to it. */
function expectUniform(t: Tensor, bound: number, label: string): void {
  const m = absMax(t);
  expect(m, `${label}: max |w| ${m} must not exceed torch's bound ${bound}`).toBeLessThanOrEqual(
    bound * (1 + 1e-6),
  );
  expect(m, `${label}: max |w| ${m} should reach torch's bound ${bound}`).toBeGreaterThan(
    0.98 * bound,
  );
  expectClose(std(t), bound / Math.sqrt(3), `${label} › std`, { atol: 0, rtol: 0.03 });
}

describe('nn.init follows torch.nn.init', () => {
  for (const g of gains) {
    it(`calculateGain('${g.nonlinearity}'${g.param === null ? '' : `, ${g.param}`})`, () => {
      const got = init.calculateGain(
        g.nonlinearity as Parameters<Init['calculateGain']>[0],
        g.param ?? undefined,
      );
      expectClose(got, g.gain, `init.json › calculateGain ${g.nonlinearity}`);
    });
  }
  for (const s of schemes) {
    const at = `init.json › [${s.shape.join(',')}]`;
    const gen = () => new Generator(7);
    it(`fans of [${s.shape.join(',')}]`, () => {
      expect(init.calculateFans(zeros(s.shape))).toEqual({ fanIn: s.fanIn, fanOut: s.fanOut });
    });
    it(`xavier and kaiming bounds and spreads for [${s.shape.join(',')}]`, () => {
      expectUniform(
        init.xavierUniform_(zeros(s.shape), 1, gen()),
        s.xavierUniformBound,
        `${at} xavierUniform_`,
      );
      expectClose(
        std(init.xavierNormal_(zeros(s.shape), 1, gen())),
        s.xavierNormalStd,
        `${at} xavierNormal_ std`,
        {
          atol: 0,
          rtol: 0.03,
        },
      );
      expectUniform(
        init.kaimingUniform_(zeros(s.shape), { generator: gen() }),
        s.kaimingUniformBound,
        `${at} kaimingUniform_ (torch defaults: a=0, fan_in, leaky_relu)`,
      );
      expectUniform(
        init.kaimingUniform_(zeros(s.shape), {
          mode: 'fanOut',
          nonlinearity: 'relu',
          generator: gen(),
        }),
        s.kaimingUniformReluFanOutBound,
        `${at} kaimingUniform_ relu fanOut`,
      );
      expectClose(
        std(init.kaimingNormal_(zeros(s.shape), { generator: gen() })),
        s.kaimingNormalStd,
        `${at} kaimingNormal_ std`,
        { atol: 0, rtol: 0.03 },
      );
    });
    it(`default Linear/Conv2d initialisation for [${s.shape.join(',')}]`, () => {
      const layer =
        s.shape.length === 2
          ? new nn.Linear(s.shape[1], s.shape[0])
          : new nn.Conv2d(s.shape[1], s.shape[0], [s.shape[2], s.shape[3]]);
      expectUniform(layer.weight, s.defaultWeightBound, `${at} default weight`);
      const bias = layer.bias!;
      expect(absMax(bias)).toBeLessThanOrEqual(s.defaultBiasBound * (1 + 1e-6));
    });
  }
});
