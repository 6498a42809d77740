/**
 * `Module`, the base class of layers and models, like `torch.nn.Module`: it finds parameters,
 * buffers and sub-modules among its fields, switches train/eval mode, zeroes gradients, and saves
 * and loads state dicts with PyTorch's key names in camelCase (`0.weight`, `fc1.bias`,
 * `bn.runningMean`).
 *
 * Parameters are the fields holding a Tensor with `requiresGrad`; sub-modules are the fields
 * holding a Module (or an array of Modules, keyed `name.0`, `name.1`, …); buffers (running
 * statistics) are registered with {@link Module.registerBuffer}. Fields whose names start with `_`
 * are private and never listed.
 */
import { Tensor, type NestedArray } from '../tensor.ts';
import type { DType } from '../dtype.ts';
import { DescentError, ShapeError } from '../errors.ts';

/** A value `loadStateDict` accepts: a tensor, nested arrays, or `{ shape, data }`. */
export type StateValue = Tensor | NestedArray | { shape: number[]; data: ArrayLike<number> };

function flattenNested(value: NestedArray, shape: number[], out: number[], depth = 0): void {
  if (typeof value === 'number') {
    if (depth === 0) shape.length = 0;
    out.push(value);
    return;
  }
  if (!Array.isArray(value))
    throw new DescentError(`loadStateDict: expected numbers or arrays, got ${typeof value}`);
  if (shape.length <= depth) shape.push(value.length);
  else if (shape[depth] !== value.length) {
    throw new ShapeError('loadStateDict: ragged nested array (rows of different lengths)');
  }
  for (const v of value) flattenNested(v, shape, out, depth + 1);
}

function toFlat(value: StateValue): { shape: number[]; data: ArrayLike<number> } {
  if (value instanceof Tensor) return { shape: value.shape, data: value.data };
  if (typeof value === 'number') return { shape: [], data: [value] };
  if (Array.isArray(value)) {
    const shape: number[] = [];
    const data: number[] = [];
    flattenNested(value, shape, data);
    return { shape, data };
  }
  if (value && typeof value === 'object' && 'data' in value && 'shape' in value) return value;
  throw new DescentError(`loadStateDict: cannot read a ${typeof value} as a tensor`);
}

/** PyTorch's spelling of a state-dict key in ours: `0.weight_ih_l0` → `0.weightIh`. */
function torchKey(key: string): string {
  return key
    .split('.')
    .map((part) => part.replace(/_l0$/, '').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()))
    .join('.');
}

/** Base class of every layer and model. Subclasses implement `forward`. */
export class Module {
  /** True in training mode (dropout active, batch norm uses batch statistics). */
  training = true;
  /** @internal Names of the fields that hold buffers (saved in the state dict, not trained). */
  _bufferNames: string[] = [];

  /** Compute the output; subclasses override it. */
  forward(..._args: unknown[]): unknown {
    throw new DescentError(`${this.constructor.name}.forward is not implemented`);
  }

  /** Same as `forward` (PyTorch modules are called as functions; JavaScript objects cannot be). */
  call(...args: unknown[]): unknown {
    return this.forward(...args);
  }

  /** Register a tensor field that is saved in the state dict but not trained. */
  registerBuffer(name: string, value: Tensor | null): void {
    (this as unknown as Record<string, unknown>)[name] = value;
    if (!this._bufferNames.includes(name)) this._bufferNames.push(name);
  }

  private fields(): [string, unknown][] {
    return Object.entries(this).filter(([k]) => !k.startsWith('_'));
  }

  /** Direct sub-modules with their names. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [k, v] of this.fields()) {
      if (v instanceof Module) out.push([k, v]);
      else if (Array.isArray(v) && v.length > 0 && v.every((m) => m instanceof Module)) {
        v.forEach((m, i) => out.push([`${k}.${i}`, m as Module]));
      }
    }
    return out;
  }

  /** Direct sub-modules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every module below it, depth first, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) {
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    }
    return out;
  }

  /** This module and every module below it. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** This module's own parameters (not its children's), with their field names. */
  protected ownParameters(): [string, Tensor][] {
    return this.fields().filter(
      (e): e is [string, Tensor] =>
        e[1] instanceof Tensor && e[1].requiresGrad && !this._bufferNames.includes(e[0]),
    );
  }

  /** Every parameter with its dotted name, like `named_parameters()` (each tensor once). */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [modName, m] of this.namedModules(prefix)) {
      for (const [k, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([modName ? `${modName}.${k}` : k, p]);
      }
    }
    return out;
  }

  /** Every trainable tensor, to hand to an optimizer. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name. */
  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [modName, m] of this.namedModules(prefix)) {
      for (const k of m._bufferNames) {
        const b = (m as unknown as Record<string, unknown>)[k];
        if (b instanceof Tensor) out.push([modName ? `${modName}.${k}` : k, b]);
      }
    }
    return out;
  }

  /** Every buffer. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** Number of trainable numbers (elements of all parameters). */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Set training mode here and below; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (same as `train(false)`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Set every parameter's gradient to null (PyTorch ≥ 2.0's `set_to_none=True`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Call `fn` on this module and every module below it, children first; returns this. */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Parameters and buffers by dotted name, in PyTorch's order (each module's own parameters,
   * then its buffers, then its children's). The tensors share storage with the module.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    const visit = (m: Module, prefix: string) => {
      for (const [k, p] of m.ownParameters()) out[prefix + k] = p.detach();
      for (const k of m._bufferNames) {
        const b = (m as unknown as Record<string, unknown>)[k];
        if (b instanceof Tensor) out[prefix + k] = b.detach();
      }
      for (const [name, child] of m.namedChildren()) visit(child, `${prefix}${name}.`);
    };
    visit(this, '');
    return out;
  }

  /**
   * Copy values into the parameters and buffers in place (an optimizer built on the parameters
   * keeps working). Values may be tensors, nested arrays or `{ shape, data }`. Keys are the
   * camelCase names of `stateDict()`; PyTorch's own spellings are accepted too (`weight_ih_l0`,
   * `running_mean`, `0.weight`). Unknown keys and wrong shapes always throw.
   *
   * NOTE: unlike torch, keys missing from `state` are left as they are unless `strict: true`
   * (so a partial dict, e.g. only a batch norm's weight and bias, loads).
   *
   * @example
   * const lin = new nn.Linear(2, 1);
   * lin.loadStateDict({ weight: [[1, 2]], bias: [0] });
   * lin.forward(tensor([[3, 4]])).toArray(); // [[11]]
   */
  loadStateDict(state: Record<string, StateValue>, options: { strict?: boolean } = {}): this {
    const { strict = false } = options;
    const targets = this.stateDict();
    const entries = Object.entries(state).map(
      ([k, v]) => [k in targets ? k : torchKey(k), v] as const,
    );
    const given = new Set(entries.map(([k]) => k));
    const missing = Object.keys(targets).filter((k) => !given.has(k));
    const unexpected = entries.map(([k]) => k).filter((k) => !(k in targets));
    if (unexpected.length || (strict && missing.length)) {
      throw new DescentError(
        `loadStateDict: unexpected keys [${unexpected.join(', ')}]${strict ? `, missing keys [${missing.join(', ')}]` : ''}; expected keys [${Object.keys(targets).join(', ')}]`,
      );
    }
    for (const [k, value] of entries) {
      const t = targets[k];
      const { shape, data } = toFlat(value);
      const sameShape = shape.length === t.shape.length && shape.every((d, j) => d === t.shape[j]);
      if (data.length !== t.size || (!sameShape && t.size !== 1)) {
        throw new ShapeError(
          `loadStateDict: ${k} has shape [${t.shape.join(', ')}] but the value has shape [${shape.join(', ')}]`,
        );
      }
      for (let i = 0; i < data.length; i++) t.data[i] = data[i];
    }
    return this;
  }

  /** Convert every parameter and buffer to `dtype` in place; returns this. */
  to(dtype: DType): this {
    for (const m of this.modules()) {
      const rec = m as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(rec)) {
        if (!(v instanceof Tensor) || v.dtype === dtype) continue;
        v.data = dtype === 'float64' ? Float64Array.from(v.data) : Float32Array.from(v.data);
        v.dtype = dtype;
        v.grad = null;
        rec[k] = v;
      }
    }
    return this;
  }

  /** A short description like PyTorch's module printout. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const body = children
      .map(([k, m]) => `  (${k}): ${m.toString().split('\n').join('\n  ')}`)
      .join('\n');
    return `${head}\n${body}\n)`;
  }

  /** The arguments shown in `toString()`. */
  extraRepr(): string {
    return '';
  }
}

/**
 * Modules applied one after another, like `torch.nn.Sequential`; the state-dict keys are
 * `0.weight`, `1.bias`, ….
 *
 * @example
 * const mlp = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1));
 * mlp.forward(zeros([5, 2])).shape; // [5, 1]
 * Object.keys(mlp.stateDict())[2]; // '2.weight'
 */
export class Sequential extends Module {
  /** @internal The layers in order (also exposed as `this[0]`, `this[1]`, …). */
  _layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) {
        throw new DescentError(`Sequential: argument ${i} is not a Module (got ${typeof m})`);
      }
    });
    this._layers = layers;
  }

  override namedChildren(): [string, Module][] {
    return this._layers.map((m, i) => [String(i), m]);
  }

  /** The i-th layer (negative counts from the end). */
  at(i: number): Module {
    const m = this._layers.at(i);
    if (!m)
      throw new DescentError(
        `Sequential.at: index ${i} is out of range for ${this._layers.length} layers`,
      );
    return m;
  }

  /** Number of layers. */
  get length(): number {
    return this._layers.length;
  }

  /** Append a layer; returns this. */
  append(m: Module): this {
    this._layers.push(m);
    return this;
  }

  override forward(x: unknown): Tensor {
    let out = x;
    for (const m of this._layers) out = m.forward(out);
    return out as Tensor;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this._layers[Symbol.iterator]();
  }
}
