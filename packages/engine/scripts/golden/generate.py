"""Write PyTorch golden fixtures for @descent/engine.

Run from the repository root with the system Python that has torch:

    /usr/bin/python3 packages/engine/scripts/golden/generate.py

Everything is float64 and seeded, and every input is written into the fixture next to
PyTorch's answer, so the vitest suites in packages/engine/test/golden/ never need Python.

Layout of a tensor in JSON: {"shape": [...], "data": [...]} with `data` flat, row-major.
A typical case is

    {"name": "add/broadcast [3,4]+[4]", "op": "add", "args": {...},
     "inputs": [T, T], "out": T, "upstream": T, "grads": [T | null, ...]}

where `upstream` is a random tensor of the output's shape and `grads[i]` is the gradient of
sum(out * upstream) with respect to inputs[i] (null when the input is not differentiable).
Options in `args` are already spelled the way the engine spells them (camelCase).
"""

import json
import math
import os
import sys

import mpmath
import torch
import torch.nn.functional as TF

torch.set_default_dtype(torch.float64)
OUT_DIR = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'golden')

# One generator for all inputs, so the fixtures only change when this script changes.
GEN = torch.Generator().manual_seed(20261121)


def randn(*shape, scale=1.0):
    # Inputs are rounded to 4 decimals: shorter JSON, and they are written exactly anyway.
    x = torch.randn(tuple(shape), generator=GEN) * scale
    return torch.round(x * 1e4) / 1e4


def rand(*shape, lo=0.0, hi=1.0):
    x = lo + (hi - lo) * torch.rand(tuple(shape), generator=GEN)
    return torch.round(x * 1e4) / 1e4


# Switched on while generating the groups that want them (see main()).
SETTINGS = {'second_order': False, 'nonfinite': False}


def T(t):
    if t is None:
        return None
    t = t.detach()
    if t._is_zerotensor():  # autograd's lazily-allocated zeros
        t = torch.zeros(t.shape, dtype=t.dtype)
    if t.dtype in (torch.int64, torch.bool):
        return {'shape': list(t.shape), 'data': t.reshape(-1).long().tolist()}
    data = t.reshape(-1).tolist()
    for i, v in enumerate(data):
        if not math.isfinite(v):
            # JSON has no NaN or Infinity: they travel as the strings "NaN", "Infinity",
            # "-Infinity" (what JavaScript's Number() parses), and only where asked for.
            if not SETTINGS['nonfinite']:
                raise ValueError('non-finite value in a fixture outside the special-values group')
            data[i] = 'NaN' if math.isnan(v) else ('Infinity' if v > 0 else '-Infinity')
    return {'shape': list(t.shape), 'data': data}


def run(fn, inputs, differentiable=None):
    """Forward, then backward of sum(out * upstream); returns (out, upstream, grads)."""
    if differentiable is None:
        differentiable = [True] * len(inputs)
    xs = [x.clone().requires_grad_(d) for x, d in zip(inputs, differentiable)]
    out = fn(*xs)
    upstream = randn(*out.shape).to(out.dtype)
    if any(differentiable):
        (out * upstream).sum().backward()
    grads = [x.grad if d else None for x, d in zip(xs, differentiable)]
    return out, upstream, grads


def second_order(fn, inputs, differentiable, upstream):
    """For random directions v_i: d/dx_j of L2 = sum_i <dL1/dx_i, v_i>, L1 = sum(out * upstream).
    Exercises every backward rule under create_graph (gradients of gradients)."""
    xs = [x.clone().requires_grad_(d) for x, d in zip(inputs, differentiable)]
    idx = [i for i, d in enumerate(differentiable) if d]
    l1 = (fn(*xs) * upstream).sum()
    firsts = torch.autograd.grad(l1, [xs[i] for i in idx], create_graph=True, allow_unused=True)
    directions = [None] * len(xs)
    l2 = None
    for i, f in zip(idx, firsts):
        directions[i] = randn(*xs[i].shape)
        if f is not None and f.requires_grad:
            term = (f * directions[i]).sum()
            l2 = term if l2 is None else l2 + term
    seconds = [None] * len(xs)
    if l2 is not None:
        gs = torch.autograd.grad(l2, [xs[i] for i in idx], allow_unused=True)
        for i, g in zip(idx, gs):
            seconds[i] = g
    for i in idx:
        if seconds[i] is None:
            seconds[i] = torch.zeros_like(xs[i])
    return directions, seconds


def case(name, op, inputs, fn, args=None, differentiable=None, grads=True, second=None):
    if not grads:
        differentiable = [False] * len(inputs)
    if differentiable is None:
        differentiable = [True] * len(inputs)
    out, upstream, gs = run(fn, inputs, differentiable)
    c = {'name': name, 'op': op, 'args': args or {}, 'inputs': [T(x) for x in inputs],
         'out': T(out)}
    if grads:
        c['upstream'] = T(upstream)
        c['grads'] = [T(g) for g in gs]
        if SETTINGS['second_order'] if second is None else second:
            directions, seconds = second_order(fn, inputs, differentiable, upstream)
            c['directions'] = [T(v) for v in directions]
            c['gradgrads'] = [T(g) for g in seconds]
    return c


def gradgrad(fn, x):
    """Second order: d/dx sum(v * d/dx sum(f(x) * g)) for random g, v."""
    x = x.clone().requires_grad_(True)
    y = fn(x)
    g = randn(*y.shape)
    (dx,) = torch.autograd.grad((y * g).sum(), x, create_graph=True)
    v = randn(*x.shape)
    (ddx,) = torch.autograd.grad((dx * v).sum(), x)
    return {'upstream': T(g), 'direction': T(v), 'grad': T(dx), 'gradgrad': T(ddx)}


def write(name, obj):
    path = os.path.join(OUT_DIR, name)
    with open(path, 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
    print(f'{name}: {os.path.getsize(path) / 1024:.1f} KB, {len(obj["cases"])} cases')


def meta():
    return {'generator': 'packages/engine/scripts/golden/generate.py', 'torch': torch.__version__,
            'dtype': 'float64'}


# ---------------------------------------------------------------- core ops


def core_cases():
    cases = []
    unary = {
        'neg': (torch.neg, lambda s: randn(*s)),
        'exp': (torch.exp, lambda s: randn(*s)),
        'log': (torch.log, lambda s: rand(*s, lo=0.1, hi=3)),
        'sqrt': (torch.sqrt, lambda s: rand(*s, lo=0.1, hi=3)),
        'abs': (torch.abs, lambda s: randn(*s)),
        'sin': (torch.sin, lambda s: randn(*s, scale=2)),
        'cos': (torch.cos, lambda s: randn(*s, scale=2)),
        'tanh': (torch.tanh, lambda s: randn(*s, scale=2)),
        'sigmoid': (torch.sigmoid, lambda s: randn(*s, scale=2)),
        'relu': (torch.relu, lambda s: randn(*s)),
    }
    for op, (fn, make) in unary.items():
        cases.append(case(f'{op}/[3,4]', op, [make((3, 4))], fn))
        cases.append(case(f'{op}/scalar []', op, [make(())], fn))

    # Kinks: PyTorch's choice of derivative exactly at the corner.
    kink = torch.tensor([-1.0, 0.0, 0.0, 2.0, -0.0])
    cases.append(case('abs/kink at 0 (torch: 0)', 'abs', [kink], torch.abs))
    cases.append(case('relu/kink at 0 (torch: 0)', 'relu', [kink], torch.relu))
    c = torch.tensor([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0])
    cases.append(case('clamp/boundaries inclusive', 'clamp', [c],
                      lambda x: x.clamp(-1.0, 1.0), {'min': -1.0, 'max': 1.0}))
    cases.append(case('clamp/min only', 'clamp', [c], lambda x: x.clamp(min=0.0), {'min': 0.0}))
    cases.append(case('clamp/max only', 'clamp', [c], lambda x: x.clamp(max=0.5), {'max': 0.5}))

    binary = {
        'add': torch.add,
        'sub': torch.sub,
        'mul': torch.mul,
        'div': torch.div,
    }
    shapes = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3, 4), (3, 1)),
              ((), (3,)), ((4,), ())]
    for op, fn in binary.items():
        for sa, sb in shapes:
            a = randn(*sa)
            b = randn(*sb)
            if op == 'div':
                b = torch.sign(b) * (b.abs() + 0.5)  # keep away from 0
            name = f'{op}/{list(sa)}&{list(sb)}'
            cases.append(case(name, op, [a, b], fn))
        s = 2.5 if op != 'div' else -1.75
        cases.append(case(f'{op}/number scalar', op, [randn(2, 3)], lambda x: fn(x, s),
                          {'scalar': s}))

    # pow: scalar exponents, tensor exponent (gradient with respect to the exponent).
    for e in [2.0, 3.0, 0.5, -1.0, 1.5]:
        base = rand(2, 3, lo=0.2, hi=2.0) if e in (0.5, -1.0, 1.5) else randn(2, 3)
        cases.append(case(f'pow/number exponent {e}', 'pow', [base], lambda x: x.pow(e),
                          {'exponent': e}))
    cases.append(case('pow/x^2 at x=0', 'pow', [torch.tensor([0.0, -1.0, 1.0])],
                      lambda x: x.pow(2.0), {'exponent': 2.0}))
    a = rand(3, 4, lo=0.2, hi=2.0)
    b = randn(3, 4)
    cases.append(case('pow/tensor exponent [3,4]^[3,4]', 'pow', [a, b], torch.pow))
    cases.append(case('pow/tensor exponent broadcast [3,4]^[4]', 'pow',
                      [rand(3, 4, lo=0.2, hi=2.0), randn(4)], torch.pow))
    cases.append(case('pow/base 0 with tensor exponent (torch: d/dexp = 0)', 'pow',
                      [torch.tensor([0.0, 0.0, 2.0]), torch.tensor([2.0, 1.0, 3.0])], torch.pow,
                      second=False))  # log(0) makes the second derivative NaN there

    # Reductions. `axis` may be a number, a negative number or a list; keepDims like torch keepdim.
    x34 = randn(3, 4)
    x234 = randn(2, 3, 4)
    for op, fn in [('sum', torch.sum), ('mean', torch.mean)]:
        cases.append(case(f'{op}/all [3,4]', op, [x34], fn))
        cases.append(case(f'{op}/axis 0 [3,4]', op, [x34], lambda x: fn(x, 0), {'axis': 0}))
        cases.append(case(f'{op}/axis 1 keepDims [3,4]', op, [x34],
                          lambda x: fn(x, 1, keepdim=True), {'axis': 1, 'keepDims': True}))
        cases.append(case(f'{op}/axis -1 [2,3,4]', op, [x234], lambda x: fn(x, -1),
                          {'axis': -1}))
        cases.append(case(f'{op}/axis 1 [2,3,4]', op, [x234], lambda x: fn(x, 1), {'axis': 1}))
        cases.append(case(f'{op}/axes [0,2] [2,3,4]', op, [x234], lambda x: fn(x, (0, 2)),
                          {'axis': [0, 2]}))
        cases.append(case(f'{op}/axes [0,2] keepDims [2,3,4]', op, [x234],
                          lambda x: fn(x, (0, 2), keepdim=True), {'axis': [0, 2], 'keepDims': True}))
        cases.append(case(f'{op}/scalar []', op, [randn()], fn))

    ties = torch.tensor([[1.0, 3.0, 3.0, -2.0], [2.0, 2.0, 0.0, 2.0], [-1.0, 4.0, 0.5, 0.25]])
    for op, fn in [('max', torch.max), ('min', torch.min)]:
        cases.append(case(f'{op}/all [3,4]', op, [x34], fn))
        cases.append(case(f'{op}/axis 0 [3,4]', op, [x34], lambda x: fn(x, 0).values,
                          {'axis': 0}))
        cases.append(case(f'{op}/axis -1 keepDims [2,3,4]', op, [x234],
                          lambda x: fn(x, -1, keepdim=True).values, {'axis': -1, 'keepDims': True}))
        # NOTE: PyTorch splits the gradient evenly between tied maxima for a full reduction
        # but sends it all to the first (lowest-index) maximum when reducing along a dim.
        t = -ties if op == 'min' else ties
        cases.append(case(f'{op}/all with ties (torch: split evenly)', op, [t], fn))
        cases.append(case(f'{op}/axis 1 with ties (torch: first index)', op, [t],
                          lambda x: fn(x, 1).values, {'axis': 1}))
        cases.append(case(f'{op}/axis 0 with ties (torch: first index)', op, [t],
                          lambda x: fn(x, 0).values, {'axis': 0}))

    # matmul in all the shapes torch.matmul accepts.
    mm = [((3, 4), (4, 2)), ((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 2)),
          ((4,), (4, 3)), ((3, 4), (4,)), ((4,), (4,)), ((2, 1, 3, 4), (3, 4, 2)),
          ((2, 3, 4), (4,))]
    for sa, sb in mm:
        cases.append(case(f'matmul/{list(sa)}@{list(sb)}', 'matmul', [randn(*sa), randn(*sb)],
                          torch.matmul))

    # Shape ops.
    x = randn(2, 3, 4)
    cases.append(case('reshape/[2,3,4]->[4,6]', 'reshape', [x], lambda t: t.reshape(4, 6),
                      {'shape': [4, 6]}))
    cases.append(case('reshape/[2,3,4]->[4,-1]', 'reshape', [x], lambda t: t.reshape(4, -1),
                      {'shape': [4, -1]}))
    cases.append(case('reshape/[2,3,4]->[24]', 'reshape', [x], lambda t: t.reshape(24),
                      {'shape': [24]}))
    cases.append(case('permute/[2,3,4] (2,0,1)', 'permute', [x], lambda t: t.permute(2, 0, 1),
                      {'axes': [2, 0, 1]}))
    cases.append(case('permute/[2,3,4] (1,0,2)', 'permute', [x], lambda t: t.permute(1, 0, 2),
                      {'axes': [1, 0, 2]}))
    cases.append(case('transpose/[3,4]', 'transpose', [randn(3, 4)], lambda t: t.t(),
                      {'axes': [0, 1]}))
    cases.append(case('transpose/[2,3,4] axes 0,2', 'transpose', [x],
                      lambda t: t.transpose(0, 2), {'axes': [0, 2]}))
    # Slicing: one [start, stop, step] per leading axis (null = whole axis), like x[0:2, ::2].
    x45 = randn(4, 5)
    cases.append(case('slice/[4,5] [1:3, :]', 'slice', [x45], lambda t: t[1:3, :],
                      {'ranges': [[1, 3, 1], None]}))
    cases.append(case('slice/[4,5] [:, 1:5:2]', 'slice', [x45], lambda t: t[:, 1:5:2],
                      {'ranges': [None, [1, 5, 2]]}))
    cases.append(case('slice/[2,3,4] [1:2, 0:2, 1:4]', 'slice', [x],
                      lambda t: t[1:2, 0:2, 1:4], {'ranges': [[1, 2, 1], [0, 2, 1], [1, 4, 1]]}))
    cases.append(case('slice/[4,5] [-2:, :]', 'slice', [x45], lambda t: t[-2:, :],
                      {'ranges': [[-2, None, 1], None]}))
    # gather: out[i][j] = x[i][index[i][j]] (dim 1), repeated indices accumulate gradient.
    idx = torch.tensor([[0, 2, 2], [1, 0, 4], [3, 3, 3], [4, 1, 0]])
    cases.append(case('gather/[4,5] dim 1 with repeats', 'gather', [x45],
                      lambda t: torch.gather(t, 1, idx), {'axis': 1, 'index': T(idx)}))
    idx0 = torch.tensor([[0, 1, 3, 3, 2], [2, 2, 0, 1, 0]])
    cases.append(case('gather/[4,5] dim 0', 'gather', [x45],
                      lambda t: torch.gather(t, 0, idx0), {'axis': 0, 'index': T(idx0)}))
    a, b, c3 = randn(2, 3), randn(4, 3), randn(2, 3)
    cases.append(case('concat/axis 0 [2,3]+[4,3]', 'concat', [a, b],
                      lambda p, q: torch.cat([p, q], 0), {'axis': 0}))
    cases.append(case('concat/axis 1 [2,3]+[2,3]+[2,3]', 'concat', [a, c3, a + 1],
                      lambda p, q, r: torch.cat([p, q, r], 1), {'axis': 1}))
    cases.append(case('concat/axis -1 [2,3]+[2,3]', 'concat', [a, c3],
                      lambda p, q: torch.cat([p, q], -1), {'axis': -1}))
    cases.append(case('stack/axis 0', 'stack', [a, c3], lambda p, q: torch.stack([p, q], 0),
                      {'axis': 0}))
    cases.append(case('stack/axis 1', 'stack', [a, c3], lambda p, q: torch.stack([p, q], 1),
                      {'axis': 1}))
    cases.append(case('stack/axis -1', 'stack', [a, c3, a],
                      lambda p, q, r: torch.stack([p, q, r], -1), {'axis': -1}))
    cond = torch.tensor([[True, False, True], [False, False, True]])
    cases.append(case('where/[2,3] same shapes', 'where', [a, c3],
                      lambda p, q: torch.where(cond, p, q), {'condition': T(cond)}))
    cond_row = torch.tensor([True, False, True])
    cases.append(case('where/broadcast cond [3], x [2,3], y [1]', 'where', [a, randn(1)],
                      lambda p, q: torch.where(cond_row, p, q), {'condition': T(cond_row)}))

    # Composites: the same input used several times must accumulate its gradient.
    x = randn(3, 4)
    cases.append(case('composite/x*x + exp(x) - x/2', 'composite', [x],
                      lambda t: t * t + t.exp() - t / 2, {'fn': 'x*x+exp(x)-x/2'}))
    w = randn(4, 2)
    cases.append(case('composite/tanh(x@w).sum(1) * x.mean(1)', 'composite', [x, w],
                      lambda t, u: torch.tanh(t @ u).sum(1) * t.mean(1),
                      {'fn': 'tanh(x@w).sum(1)*x.mean(1)'}))
    cases.extend(core_extra_cases())
    return cases


def core_extra_cases():
    """Composed and secondary ops: maximum/minimum (ties split the gradient in half in torch),
    logsumexp, var/std, expand, squeeze/unsqueeze/flatten, pad, index ops, linear."""
    cases = []
    a, b = randn(3, 4), randn(3, 4)
    b[0, :2] = a[0, :2]  # ties
    for op, fn in [('maximum', torch.maximum), ('minimum', torch.minimum)]:
        cases.append(case(f'{op}/[3,4] with ties (torch: half each)', op, [a, b], fn))
        cases.append(case(f'{op}/broadcast [3,4]&[4]', op, [a, randn(4)], fn))
    cases.append(case('square/[3,4]', 'square', [randn(3, 4)], torch.square))
    cases.append(case('reciprocal/[3,4]', 'reciprocal', [rand(3, 4, lo=0.3, hi=2.0)],
                      torch.reciprocal))
    x = randn(3, 4, scale=3)
    big = torch.tensor([[1000.0, 1001.0, -5.0], [-1000.0, -1000.5, -2000.0]])
    cases.append(case('logsumexp/all', 'logsumexp', [x], lambda t: torch.logsumexp(t, (0, 1)),
                      {}))
    cases.append(case('logsumexp/axis -1', 'logsumexp', [x], lambda t: torch.logsumexp(t, -1),
                      {'axis': -1}))
    cases.append(case('logsumexp/axis 0 keepDims', 'logsumexp', [x],
                      lambda t: torch.logsumexp(t, 0, keepdim=True), {'axis': 0, 'keepDims': True}))
    cases.append(case('logsumexp/huge values', 'logsumexp', [big],
                      lambda t: torch.logsumexp(t, 1), {'axis': 1}))
    x234 = randn(2, 3, 4)
    for op, fn in [('var', torch.var), ('std', torch.std)]:
        cases.append(case(f'{op}/all (unbiased)', op, [x234], lambda t, f=fn: f(t)))
        cases.append(case(f'{op}/axis 1', op, [x234], lambda t, f=fn: f(t, 1), {'axis': 1}))
        cases.append(case(f'{op}/axis -1 correction 0 keepDims', op, [x234],
                          lambda t, f=fn: f(t, -1, unbiased=False, keepdim=True),
                          {'axis': -1, 'correction': 0, 'keepDims': True}))
        cases.append(case(f'{op}/axes [0,2]', op, [x234], lambda t, f=fn: f(t, (0, 2)),
                          {'axis': [0, 2]}))
    cases.append(case('expand/[3,1]->[3,4]', 'expand', [randn(3, 1)],
                      lambda t: t.expand(3, 4), {'shape': [3, 4]}))
    cases.append(case('expand/[4]->[2,3,4]', 'expand', [randn(4)],
                      lambda t: t.expand(2, 3, 4), {'shape': [2, 3, 4]}))
    cases.append(case('expand/[2,1,4]->[2,3,4] with -1', 'expand', [randn(2, 1, 4)],
                      lambda t: t.expand(-1, 3, -1), {'shape': [-1, 3, -1]}))
    cases.append(case('flatten/[2,3,4] from 1', 'flatten', [x234], lambda t: t.flatten(1),
                      {'startDim': 1, 'endDim': -1}))
    cases.append(case('flatten/[2,3,4] 0..1', 'flatten', [x234], lambda t: t.flatten(0, 1),
                      {'startDim': 0, 'endDim': 1}))
    cases.append(case('squeeze/[3,1,4,1] axis 1', 'squeeze', [randn(3, 1, 4, 1)],
                      lambda t: t.squeeze(1), {'axis': 1}))
    cases.append(case('squeeze/[3,1,4,1] all', 'squeeze', [randn(3, 1, 4, 1)],
                      lambda t: t.squeeze(), {}))
    cases.append(case('unsqueeze/[3,4] axis -1', 'unsqueeze', [randn(3, 4)],
                      lambda t: t.unsqueeze(-1), {'axis': -1}))
    cases.append(case('pad/[2,3] last dim (1,2)', 'pad', [randn(2, 3)],
                      lambda t: TF.pad(t, (1, 2)), {'widths': [1, 2]}))
    cases.append(case('pad/[2,3,4] last two dims value 0.5', 'pad', [x234],
                      lambda t: TF.pad(t, (1, 0, 2, 1), value=0.5),
                      {'widths': [1, 0, 2, 1], 'value': 0.5}))
    cases.append(case('pad/[2,3] negative widths crop', 'pad', [randn(2, 3)],
                      lambda t: TF.pad(t, (-1, 1)), {'widths': [-1, 1]}))
    x45 = randn(4, 5)
    cases.append(case('indexSelect/axis 0 with repeats', 'indexSelect', [x45],
                      lambda t: torch.index_select(t, 0, torch.tensor([3, 0, 3, 1])),
                      {'axis': 0, 'indices': [3, 0, 3, 1]}))
    cases.append(case('indexSelect/axis 1', 'indexSelect', [x45],
                      lambda t: torch.index_select(t, 1, torch.tensor([4, 2])),
                      {'axis': 1, 'indices': [4, 2]}))
    cases.append(case('select/axis 1 index -1', 'select', [x45], lambda t: t.select(1, -1),
                      {'axis': 1, 'index': -1}))
    cases.append(case('narrow/axis 0 start 1 length 2', 'narrow', [x45],
                      lambda t: t.narrow(0, 1, 2), {'axis': 0, 'start': 1, 'length': 2}))
    sidx = torch.tensor([[0, 1, 0], [2, 0, 1]])
    cases.append(case('scatterAdd/[3,3] axis 0 with repeats', 'scatterAdd', [randn(3, 3), randn(2, 3)],
                      lambda t, src: t.scatter_add(0, sidx, src), {'axis': 0, 'index': T(sidx)}))
    cases.append(case('linear/x [4,3] w [2,3] b [2]', 'linear', [randn(4, 3), randn(2, 3), randn(2)],
                      TF.linear))
    cases.append(case('linear/x [2,5,3] w [2,3] no bias', 'linear', [randn(2, 5, 3), randn(2, 3)],
                      TF.linear))
    ties = torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0], [-1.0, -1.0, -1.0]])
    for op, fn in [('argmax', torch.argmax), ('argmin', torch.argmin)]:
        cases.append(case(f'{op}/axis 1 with ties (torch: first index)', op, [ties],
                          lambda t, f=fn: f(t, 1).double(), {'axis': 1}, grads=False))
        cases.append(case(f'{op}/all', op, [x45], lambda t, f=fn: f(t).double(), {}, grads=False))
    return cases


# ---------------------------------------------------------------- float32


def float32_cases():
    """A cross-section in float32 (PyTorch's and the engine's default dtype): the same
    definitions must agree to float32 precision, without overflow where float64 has room
    (e^89 is already infinite in float32)."""
    f = lambda t: t.float() if t.is_floating_point() else t  # noqa: E731
    cases = []

    def add(name, op, inputs, fn, args=None, differentiable=None):
        c = case(name, op, [f(x) for x in inputs], fn, args, differentiable)
        c['dtype'] = 'float32'
        cases.append(c)

    x34 = randn(3, 4, scale=2)
    for op, fn in [('exp', torch.exp), ('tanh', torch.tanh), ('sigmoid', torch.sigmoid),
                   ('sin', torch.sin), ('relu', torch.relu), ('abs', torch.abs)]:
        add(f'{op}/[3,4]', op, [x34], fn)
    pos = rand(3, 4, lo=0.1, hi=3)
    add('log/[3,4]', 'log', [pos], torch.log)
    add('sqrt/[3,4]', 'sqrt', [pos], torch.sqrt)
    add('add/[3,4]&[4]', 'add', [x34, randn(4)], torch.add)
    add('mul/[3,1]&[1,4]', 'mul', [randn(3, 1), randn(1, 4)], torch.mul)
    add('div/[3,4]&[3,4]', 'div', [x34, pos], torch.div)
    add('pow/tensor exponent', 'pow', [pos, randn(3, 4)], torch.pow)
    add('sum/axis 1', 'sum', [x34], lambda t: t.sum(1), {'axis': 1})
    add('mean/all', 'mean', [x34], torch.mean)
    add('max/axis 0', 'max', [x34], lambda t: t.max(0).values, {'axis': 0})
    add('matmul/[2,3,4]@[4,5]', 'matmul', [randn(2, 3, 4), randn(4, 5)], torch.matmul)
    add('exp/overflow starts at 88.7 in float32', 'exp',
        [torch.tensor([88.0, 88.5, -100.0, -104.0])], torch.exp)

    big = torch.tensor([[100.0, 101.0, 99.0], [-100.0, -100.5, -200.0]])
    for op, args, fn in [
        ('sigmoid', {}, torch.sigmoid),
        ('leakyRelu', {'negativeSlope': 0.1}, lambda t: TF.leaky_relu(t, 0.1)),
        ('elu', {'alpha': 1.0}, TF.elu),
        ('softplus', {'beta': 1.0, 'threshold': 20.0}, TF.softplus),
        ('gelu', {'approximate': 'none'}, TF.gelu),
        ('gelu', {'approximate': 'tanh'}, lambda t: TF.gelu(t, approximate='tanh')),
        ('softmax', {'axis': -1}, lambda t: torch.softmax(t, -1)),
        ('logSoftmax', {'axis': -1}, lambda t: torch.log_softmax(t, -1)),
    ]:
        label = op + ' ' + json.dumps(args, separators=(',', ':'))
        add(f'{label}/random [3,4]', op, [x34], fn, args)
        if op in ('softmax', 'logSoftmax'):
            add(f'{label}/logits near 100 (e^100 overflows float32)', op, [big], fn, args)
    add('softplus {"beta":1,"threshold":20}/around the threshold', 'softplus',
        [torch.tensor([-90.0, -20.0, 19.0, 20.0, 21.0, 90.0])], TF.softplus,
        {'beta': 1.0, 'threshold': 20.0})

    pred, target = randn(4, 3), randn(4, 3)
    prob, y = rand(4, 3, lo=0.02, hi=0.98), (rand(4, 3) > 0.5).double()
    logits = randn(5, 4, scale=2)
    idx = torch.tensor([0, 3, 1, 1, 2])
    probs_t = torch.round(torch.softmax(randn(5, 4), -1) * 1e4) / 1e4
    add('mseLoss/mean', 'mseLoss', [pred, target], TF.mse_loss, {}, [True, True])
    add('l1Loss/sum', 'l1Loss', [pred, target], lambda p, t: TF.l1_loss(p, t, reduction='sum'),
        {'reduction': 'sum'}, [True, True])
    add('huberLoss/delta 0.5', 'huberLoss', [pred, target],
        lambda p, t: TF.huber_loss(p, t, delta=0.5), {'delta': 0.5}, [True, True])
    add('smoothL1Loss/beta 0.5', 'smoothL1Loss', [pred, target],
        lambda p, t: TF.smooth_l1_loss(p, t, beta=0.5), {'beta': 0.5}, [True, True])
    add('bceLoss/mean', 'bceLoss', [prob, y], TF.binary_cross_entropy, {}, [True, False])
    add('bceWithLogitsLoss/mean', 'bceWithLogitsLoss', [pred, y],
        TF.binary_cross_entropy_with_logits, {}, [True, False])
    add('bceWithLogitsLoss/extreme logits', 'bceWithLogitsLoss',
        [torch.tensor([-100.0, -20.0, 0.0, 20.0, 100.0]), torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0])],
        lambda p, t: TF.binary_cross_entropy_with_logits(p, t, reduction='none'),
        {'reduction': 'none'}, [True, False])
    add('crossEntropy/indices', 'crossEntropy', [logits, idx], TF.cross_entropy, {},
        [True, False])
    add('crossEntropy/probabilities, labelSmoothing 0.1', 'crossEntropy', [logits, probs_t],
        lambda x, t: TF.cross_entropy(x, t, label_smoothing=0.1), {'labelSmoothing': 0.1},
        [True, True])
    add('crossEntropy/huge logits', 'crossEntropy',
        [torch.tensor([[100.0, 0.0, -100.0], [-500.0, 500.0, 0.0]]), torch.tensor([2, 0])],
        TF.cross_entropy, {}, [True, False])
    add('nllLoss/mean', 'nllLoss', [torch.log_softmax(logits, -1), idx], TF.nll_loss, {},
        [True, False])
    return cases


# ---------------------------------------------------------------- NaN and infinities


def special_value_cases():
    """IEEE special values: where NaN and ±Infinity come from and how they propagate,
    forward and backward, as PyTorch has it."""
    nan, inf = float('nan'), float('inf')
    v = torch.tensor([nan, inf, -inf, 0.0, -0.0, 1.5, -2.0])
    cases = []
    for op, fn in [('neg', torch.neg), ('exp', torch.exp), ('log', torch.log),
                   ('sqrt', torch.sqrt), ('abs', torch.abs), ('sin', torch.sin),
                   ('tanh', torch.tanh), ('sigmoid', torch.sigmoid), ('relu', torch.relu),
                   ('square', torch.square), ('reciprocal', torch.reciprocal)]:
        cases.append(case(f'{op}/NaN, ±inf, ±0', op, [v], fn))
    cases.append(case('exp/overflow and underflow', 'exp',
                      [torch.tensor([1000.0, -1000.0, 709.0])], torch.exp))
    cases.append(case('clamp/NaN, ±inf', 'clamp', [v], lambda x: x.clamp(-1.0, 1.0),
                      {'min': -1.0, 'max': 1.0}))
    a = torch.tensor([1.0, -1.0, 0.0, nan, inf, inf, 2.0])
    b = torch.tensor([0.0, 0.0, 0.0, 1.0, inf, -inf, nan])
    for op, fn in [('add', torch.add), ('sub', torch.sub), ('mul', torch.mul),
                   ('div', torch.div), ('maximum', torch.maximum), ('minimum', torch.minimum)]:
        cases.append(case(f'{op}/NaN, ±inf, division by 0', op, [a, b], fn))
    cases.append(case('pow/0^-1, (-8)^(1/3), 0^0, inf^0', 'pow',
                      [torch.tensor([0.0, -8.0, 0.0, inf, nan]),
                       torch.tensor([-1.0, 1.0 / 3.0, 0.0, 0.0, 0.0])], torch.pow))
    cases.append(case('pow/negative base, integer-valued tensor exponent', 'pow',
                      [torch.tensor([-2.0, -1.5, -3.0]), torch.tensor([3.0, 2.0, 0.0])],
                      torch.pow))
    m = torch.tensor([[1.0, nan, 3.0], [2.0, 5.0, -inf]])
    for op, fn in [('sum', torch.sum), ('mean', torch.mean)]:
        cases.append(case(f'{op}/axis 1 with NaN and -inf', op, [m], lambda x, f=fn: f(x, 1),
                          {'axis': 1}))
    for op, fn in [('max', torch.max), ('min', torch.min)]:
        cases.append(case(f'{op}/all with NaN (torch: NaN wins)', op, [m], fn))
        cases.append(case(f'{op}/axis 1 with NaN (torch: NaN wins)', op, [m],
                          lambda x, f=fn: f(x, 1).values, {'axis': 1}))
    cases.append(case('matmul/inf times 0', 'matmul',
                      [torch.tensor([[inf, 1.0], [0.0, 2.0]]), torch.tensor([[0.0], [1.0]])],
                      torch.matmul))
    masked = torch.tensor([[0.0, -inf, 1.0], [-inf, -inf, 2.0]])
    cases.append(case('softmax/-inf logits (masking)', 'softmax', [masked],
                      lambda x: torch.softmax(x, -1), {'axis': -1}))
    cases.append(case('logSoftmax/-inf logits (masking)', 'logSoftmax', [masked],
                      lambda x: torch.log_softmax(x, -1), {'axis': -1}))
    cases.append(case('softmax/NaN and +inf', 'softmax',
                      [torch.tensor([[nan, 1.0], [inf, 1.0]])], lambda x: torch.softmax(x, -1),
                      {'axis': -1}))
    cases.append(case('crossEntropy/-inf logit of a wrong class', 'crossEntropy',
                      [masked, torch.tensor([2, 2])], TF.cross_entropy, {}, [True, False]))
    for label, args, fn in [
        ('F.leakyRelu', {'negativeSlope': 0.1}, lambda x: TF.leaky_relu(x, 0.1)),
        ('F.elu', {'alpha': 0.5}, lambda x: TF.elu(x, 0.5)),
        ('F.softplus', {'beta': 1.0, 'threshold': 20.0}, TF.softplus),
        ('F.gelu', {'approximate': 'tanh'}, lambda x: TF.gelu(x, approximate='tanh')),
    ]:
        cases.append(case(f'{label} {json.dumps(args, separators=(",", ":"))}/NaN, ±inf, ±0',
                          label, [v], fn, args))
    # Exact GELU: forward only. PyTorch's gradient at ±inf is Φ + x·φ = 0·inf = NaN; the engine
    # returns the limit there on purpose (documented in F.gelu).
    cases.append(case('F.gelu {"approximate":"none"}/NaN, ±inf, ±0 (forward)', 'F.gelu', [v],
                      TF.gelu, {'approximate': 'none'}, grads=False))
    cases.append(case('F.gelu {"approximate":"none"}/NaN, ±0 (gradient)', 'F.gelu',
                      [torch.tensor([nan, 0.0, -0.0, 1.5])], TF.gelu, {'approximate': 'none'}))
    cases.append(case('F.bceWithLogitsLoss/±inf logits', 'F.bceWithLogitsLoss',
                      [torch.tensor([inf, -inf, inf, -inf]), torch.tensor([1.0, 0.0, 0.0, 1.0])],
                      lambda x, y: TF.binary_cross_entropy_with_logits(x, y, reduction='none'),
                      {'reduction': 'none'}, [True, False]))
    cases.append(case('where/NaN in the branch not taken', 'where',
                      [torch.tensor([1.0, nan]), torch.tensor([nan, 2.0])],
                      lambda x, y: torch.where(torch.tensor([True, False]), x, y),
                      {'condition': T(torch.tensor([True, False]))}))
    return cases


# ---------------------------------------------------------------- higher order


def higher_cases():
    cases = []
    W = randn(3, 4)
    e0 = torch.tensor([1.0, 0.0])
    e1 = torch.tensor([0.0, 1.0])
    scalars = {
        'sum(x^3)': (lambda x: (x ** 3).sum(), 4),
        'sum(exp(x)*sin(x))': (lambda x: (x.exp() * x.sin()).sum(), 4),
        'log(sum(exp(x)))': (lambda x: x.exp().sum().log(), 4),
        'sum(tanh(W@x)^2)': (lambda x: (torch.tanh(W @ x) ** 2).sum(), 4),
        'sum(x*x)^2': (lambda x: (x * x).sum() ** 2, 3),
        'sum(sigmoid(x)*x^2)': (lambda x: (torch.sigmoid(x) * x * x).sum(), 3),
        'rosenbrock': (lambda x: (1 - (x * e0).sum()) ** 2
                       + 100 * ((x * e1).sum() - (x * e0).sum() ** 2) ** 2, 2),
    }
    # Matrix inputs: the Hessian is [2,3,2,3]. Also F inside (cross-entropy, gelu).
    target = torch.tensor([2, 0])
    matrices = {
        'sum(tanh(X@Xt))': lambda x: torch.tanh(x @ x.T).sum(),
        'crossEntropy(X, [2,0])': lambda x: TF.cross_entropy(x, target),
        'sum(gelu(X)^2)': lambda x: (TF.gelu(x) ** 2).sum(),
        'sum(softplus(X)*X)': lambda x: (TF.softplus(x) * x).sum(),
    }
    scalars.update({k: (v, (2, 3)) for k, v in matrices.items()})
    for name, (fn, n) in scalars.items():
        x = randn(*n) if isinstance(n, tuple) else randn(n)
        if name == 'rosenbrock':
            x = torch.tensor([-1.2, 1.0])
        h = torch.autograd.functional.hessian(fn, x)
        xg = x.clone().requires_grad_(True)
        fn(xg).backward()
        cases.append({'name': f'hessian/{name}', 'op': 'hessian', 'args': {'fn': name, 'W': T(W)},
                      'inputs': [T(x)], 'value': fn(x).item(), 'grad': T(xg.grad), 'out': T(h)})
    vectors = {
        'softmax(x)': lambda x: torch.softmax(x, -1),
        'tanh(W@x)': lambda x: torch.tanh(W @ x),
        'x*sum(x)': lambda x: x * x.sum(),
        'exp(x)/(1+x*x)': lambda x: x.exp() / (1 + x * x),
        'X@X (matrix in, matrix out)': lambda x: x @ x,
        'logSoftmax(X, 1)': lambda x: torch.log_softmax(x, 1),
    }
    for name, fn in vectors.items():
        x = randn(3, 3) if name.startswith('X@X') else randn(2, 3) if 'X' in name else randn(4)
        j = torch.autograd.functional.jacobian(fn, x)
        cases.append({'name': f'jacobian/{name}', 'op': 'jacobian', 'args': {'fn': name, 'W': T(W)},
                      'inputs': [T(x)], 'out': T(j)})
    return cases


# ---------------------------------------------------------------- activations


def activation_cases():
    cases = []
    base = torch.tensor([-30.0, -3.0, -1.5, -0.5, -1e-3, 0.0, 1e-3, 0.25, 1.0, 2.5, 4.0, 30.0])
    rand_x = randn(3, 4, scale=2)
    acts = [
        ('sigmoid', {}, torch.sigmoid),
        ('tanh', {}, torch.tanh),
        ('relu', {}, torch.relu),
        ('leakyRelu', {'negativeSlope': 0.01}, lambda x: TF.leaky_relu(x, 0.01)),
        ('leakyRelu', {'negativeSlope': 0.2}, lambda x: TF.leaky_relu(x, 0.2)),
        ('elu', {'alpha': 1.0}, lambda x: TF.elu(x, 1.0)),
        ('elu', {'alpha': 0.5}, lambda x: TF.elu(x, 0.5)),
        ('softplus', {'beta': 1.0, 'threshold': 20.0}, lambda x: TF.softplus(x, 1.0, 20.0)),
        ('softplus', {'beta': 2.0, 'threshold': 5.0}, lambda x: TF.softplus(x, 2.0, 5.0)),
        ('gelu', {'approximate': 'none'}, lambda x: TF.gelu(x)),
        ('gelu', {'approximate': 'tanh'}, lambda x: TF.gelu(x, approximate='tanh')),
    ]
    for op, args, fn in acts:
        label = op + (' ' + json.dumps(args, separators=(',', ':')) if args else '')
        cases.append(case(f'{label}/points incl. kinks', op, [base], fn, args))
        cases.append(case(f'{label}/random [3,4]', op, [rand_x], fn, args))
    # Softplus exactly at and around its threshold (beta*x > threshold switches to x).
    edge = torch.tensor([2.4, 2.5, 2.5000001, 2.6, 10.0, -10.0])
    cases.append(case('softplus {"beta":2,"threshold":5}/around the threshold', 'softplus', [edge],
                      lambda x: TF.softplus(x, 2.0, 5.0), {'beta': 2.0, 'threshold': 5.0}))
    x34 = randn(3, 4, scale=2)
    x234 = randn(2, 3, 4)
    big = torch.tensor([[1000.0, 1001.0, 999.0], [-1000.0, -1000.5, -2000.0]])
    for op, fn in [('softmax', torch.softmax), ('logSoftmax', torch.log_softmax)]:
        cases.append(case(f'{op}/axis -1 [3,4]', op, [x34], lambda x: fn(x, -1), {'axis': -1}))
        cases.append(case(f'{op}/axis 0 [3,4]', op, [x34], lambda x: fn(x, 0), {'axis': 0}))
        cases.append(case(f'{op}/axis 1 [2,3,4]', op, [x234], lambda x: fn(x, 1), {'axis': 1}))
        cases.append(case(f'{op}/huge logits (needs the max shift)', op, [big],
                          lambda x: fn(x, -1), {'axis': -1}))
        cases.append(case(f'{op}/1-D [5]', op, [randn(5)], lambda x: fn(x, 0), {'axis': 0}))

    # Second derivatives of the smooth ones (and relu/leakyRelu: zero almost everywhere).
    second = [
        ('sigmoid', {}, torch.sigmoid),
        ('tanh', {}, torch.tanh),
        ('elu', {'alpha': 0.5}, lambda x: TF.elu(x, 0.5)),
        ('softplus', {'beta': 1.0, 'threshold': 20.0}, lambda x: TF.softplus(x, 1.0, 20.0)),
        ('gelu', {'approximate': 'none'}, lambda x: TF.gelu(x)),
        ('gelu', {'approximate': 'tanh'}, lambda x: TF.gelu(x, approximate='tanh')),
        ('leakyRelu', {'negativeSlope': 0.1}, lambda x: TF.leaky_relu(x, 0.1)),
        ('softmax', {'axis': -1}, lambda x: torch.softmax(x, -1)),
        ('logSoftmax', {'axis': -1}, lambda x: torch.log_softmax(x, -1)),
    ]
    for op, args, fn in second:
        x = randn(2, 5, scale=1.5)
        gg = gradgrad(fn, x)
        label = op + (' ' + json.dumps(args, separators=(',', ':')) if args else '')
        cases.append({'name': f'{label}/second derivative', 'op': op, 'kind': 'gradgrad',
                      'args': args, 'inputs': [T(x)], **gg})
    return cases


# ---------------------------------------------------------------- losses


def loss_cases():
    cases = []
    N, C = 4, 3
    pred, target = randn(N, C), randn(N, C)
    target[0, 0] = pred[0, 0]  # exact tie: l1's kink, torch's derivative there is 0
    red = ['mean', 'sum', 'none']

    def add(name, op, inputs, fn, args, diff):
        cases.append(case(name, op, inputs, fn, args, diff))

    for r in red:
        add(f'mseLoss/{r}', 'mseLoss', [pred, target],
            lambda p, t: TF.mse_loss(p, t, reduction=r), {'reduction': r}, [True, True])
        add(f'l1Loss/{r}', 'l1Loss', [pred, target],
            lambda p, t: TF.l1_loss(p, t, reduction=r), {'reduction': r}, [True, True])
    add('mseLoss/1-D', 'mseLoss', [randn(5), randn(5)], TF.mse_loss, {}, [True, True])
    add('mseLoss/scalar', 'mseLoss', [randn(), randn()], TF.mse_loss, {}, [True, True])
    wide = randn(4, 3, scale=2)
    for delta in [1.0, 0.5, 2.0]:
        for r in ['mean', 'none']:
            add(f'huberLoss/delta {delta} {r}', 'huberLoss', [wide, target],
                lambda p, t: TF.huber_loss(p, t, reduction=r, delta=delta),
                {'delta': delta, 'reduction': r}, [True, True])
    for beta in [1.0, 0.5, 0.0]:
        for r in ['mean', 'sum']:
            add(f'smoothL1Loss/beta {beta} {r}', 'smoothL1Loss', [wide, target],
                lambda p, t: TF.smooth_l1_loss(p, t, reduction=r, beta=beta),
                {'beta': beta, 'reduction': r}, [True, True])
    add('huberLoss/default delta', 'huberLoss', [wide, target], TF.huber_loss, {}, [True, True])
    add('smoothL1Loss/default beta', 'smoothL1Loss', [wide, target], TF.smooth_l1_loss, {},
        [True, True])

    prob = rand(N, C, lo=0.02, hi=0.98)
    y = (rand(N, C) > 0.5).double()
    soft_y = rand(N, C)
    w = rand(C, lo=0.5, hi=2.0)
    for r in red:
        add(f'bceLoss/{r}', 'bceLoss', [prob, y],
            lambda p, t: TF.binary_cross_entropy(p, t, reduction=r), {'reduction': r},
            [True, False])
    add('bceLoss/soft targets', 'bceLoss', [prob, soft_y], TF.binary_cross_entropy, {},
        [True, True])
    add('bceLoss/weight [3]', 'bceLoss', [prob, y],
        lambda p, t: TF.binary_cross_entropy(p, t, weight=w), {'weight': T(w)}, [True, False])
    # NOTE: at p = 0 or 1 PyTorch clamps log to -100 (finite loss); its gradient there is an
    # artefact of its hand-written backward ((p - y) / max(p(1 - p), 1e-12)), so only the forward
    # value is a fixture.
    edge_p = torch.tensor([0.0, 1.0, 0.0, 1.0, 1e-50])
    edge_y = torch.tensor([1.0, 0.0, 0.0, 1.0, 1.0])
    for r in ['none', 'mean']:
        cases.append(case(f'bceLoss/p at 0 and 1 (log clamped at -100) {r}', 'bceLoss',
                          [edge_p, edge_y], lambda p, t: TF.binary_cross_entropy(p, t, reduction=r),
                          {'reduction': r}, grads=False))

    logits = randn(N, C, scale=2)
    pw = rand(C, lo=0.5, hi=3.0)
    for r in red:
        add(f'bceWithLogitsLoss/{r}', 'bceWithLogitsLoss', [logits, y],
            lambda p, t: TF.binary_cross_entropy_with_logits(p, t, reduction=r),
            {'reduction': r}, [True, False])
    add('bceWithLogitsLoss/soft targets', 'bceWithLogitsLoss', [logits, soft_y],
        TF.binary_cross_entropy_with_logits, {}, [True, True])
    add('bceWithLogitsLoss/weight [3]', 'bceWithLogitsLoss', [logits, y],
        lambda p, t: TF.binary_cross_entropy_with_logits(p, t, weight=w), {'weight': T(w)},
        [True, False])
    add('bceWithLogitsLoss/posWeight [3]', 'bceWithLogitsLoss', [logits, soft_y],
        lambda p, t: TF.binary_cross_entropy_with_logits(p, t, pos_weight=pw),
        {'posWeight': T(pw)}, [True, True])
    add('bceWithLogitsLoss/posWeight and weight, sum', 'bceWithLogitsLoss', [logits, y],
        lambda p, t: TF.binary_cross_entropy_with_logits(p, t, weight=w, pos_weight=pw,
                                                         reduction='sum'),
        {'posWeight': T(pw), 'weight': T(w), 'reduction': 'sum'}, [True, False])
    extreme = torch.tensor([-1000.0, -50.0, -1e-3, 0.0, 50.0, 1000.0])
    ey = torch.tensor([1.0, 0.0, 1.0, 0.5, 1.0, 0.0])
    add('bceWithLogitsLoss/extreme logits (stable form)', 'bceWithLogitsLoss', [extreme, ey],
        lambda p, t: TF.binary_cross_entropy_with_logits(p, t, reduction='none'),
        {'reduction': 'none'}, [True, False])

    # Cross entropy and NLL. Targets are class indices (int) or class probabilities (float).
    N, C = 5, 4
    logits = randn(N, C, scale=2)
    idx = torch.tensor([0, 3, 1, 1, 2])
    idx_ign = torch.tensor([0, -100, 1, 3, -100])
    idx_ign1 = torch.tensor([0, 1, 1, 3, 2])
    probs_t = torch.softmax(randn(N, C), -1)
    probs_t = torch.round(probs_t * 1e4) / 1e4
    wC = rand(C, lo=0.5, hi=2.0)

    def ce(name, inputs, fn, args, diff=(True, False)):
        add(f'crossEntropy/{name}', 'crossEntropy', inputs, fn, args, list(diff))

    for r in red:
        ce(f'indices {r}', [logits, idx], lambda x, t: TF.cross_entropy(x, t, reduction=r),
           {'reduction': r})
    ce('indices weight', [logits, idx], lambda x, t: TF.cross_entropy(x, t, weight=wC),
       {'weight': T(wC)})
    ce('indices weight sum', [logits, idx],
       lambda x, t: TF.cross_entropy(x, t, weight=wC, reduction='sum'),
       {'weight': T(wC), 'reduction': 'sum'})
    ce('indices ignoreIndex -100 (default)', [logits, idx_ign], TF.cross_entropy, {})
    ce('indices ignoreIndex 1', [logits, idx_ign1],
       lambda x, t: TF.cross_entropy(x, t, ignore_index=1), {'ignoreIndex': 1})
    ce('indices ignoreIndex 1 none', [logits, idx_ign1],
       lambda x, t: TF.cross_entropy(x, t, ignore_index=1, reduction='none'),
       {'ignoreIndex': 1, 'reduction': 'none'})
    ce('indices weight + ignoreIndex', [logits, idx_ign],
       lambda x, t: TF.cross_entropy(x, t, weight=wC), {'weight': T(wC)})
    ce('indices labelSmoothing 0.1', [logits, idx],
       lambda x, t: TF.cross_entropy(x, t, label_smoothing=0.1), {'labelSmoothing': 0.1})
    ce('indices labelSmoothing 0.2 sum', [logits, idx],
       lambda x, t: TF.cross_entropy(x, t, label_smoothing=0.2, reduction='sum'),
       {'labelSmoothing': 0.2, 'reduction': 'sum'})
    ce('indices labelSmoothing 0.1 none', [logits, idx],
       lambda x, t: TF.cross_entropy(x, t, label_smoothing=0.1, reduction='none'),
       {'labelSmoothing': 0.1, 'reduction': 'none'})
    ce('indices labelSmoothing + weight', [logits, idx],
       lambda x, t: TF.cross_entropy(x, t, weight=wC, label_smoothing=0.1),
       {'labelSmoothing': 0.1, 'weight': T(wC)})
    ce('indices labelSmoothing + ignoreIndex', [logits, idx_ign],
       lambda x, t: TF.cross_entropy(x, t, label_smoothing=0.1), {'labelSmoothing': 0.1})
    ce('indices labelSmoothing + weight + ignoreIndex', [logits, idx_ign],
       lambda x, t: TF.cross_entropy(x, t, weight=wC, label_smoothing=0.1),
       {'labelSmoothing': 0.1, 'weight': T(wC)})
    for r in red:
        ce(f'probabilities {r}', [logits, probs_t],
           lambda x, t: TF.cross_entropy(x, t, reduction=r), {'reduction': r}, (True, True))
    ce('probabilities weight', [logits, probs_t], lambda x, t: TF.cross_entropy(x, t, weight=wC),
       {'weight': T(wC)}, (True, True))
    ce('probabilities labelSmoothing 0.1', [logits, probs_t],
       lambda x, t: TF.cross_entropy(x, t, label_smoothing=0.1), {'labelSmoothing': 0.1},
       (True, True))
    ce('unbatched [C] logits, scalar target', [randn(C), torch.tensor(2)], TF.cross_entropy, {})
    ce('unbatched [C] logits, probabilities', [randn(C), probs_t[0]], TF.cross_entropy, {},
       (True, True))
    ce('K-dim [N,C,d] logits, [N,d] target', [randn(2, C, 3), torch.tensor([[0, 3, 1], [2, 2, 0]])],
       TF.cross_entropy, {})
    ce('huge logits (needs the max shift)',
       [torch.tensor([[1000.0, 0.0, -1000.0, 999.0], [-5000.0, 5000.0, 0.0, 1.0]]),
        torch.tensor([3, 0])], TF.cross_entropy, {})

    logp = torch.log_softmax(randn(N, C), -1)
    for r in red:
        add(f'nllLoss/{r}', 'nllLoss', [logp, idx], lambda x, t: TF.nll_loss(x, t, reduction=r),
            {'reduction': r}, [True, False])
    add('nllLoss/weight', 'nllLoss', [logp, idx], lambda x, t: TF.nll_loss(x, t, weight=wC),
        {'weight': T(wC)}, [True, False])
    add('nllLoss/ignoreIndex -100', 'nllLoss', [logp, idx_ign], TF.nll_loss, {}, [True, False])
    add('nllLoss/weight + ignoreIndex 1', 'nllLoss', [logp, idx_ign1],
        lambda x, t: TF.nll_loss(x, t, weight=wC, ignore_index=1),
        {'weight': T(wC), 'ignoreIndex': 1}, [True, False])
    add('nllLoss/unbatched [C]', 'nllLoss', [logp[0], torch.tensor(1)], TF.nll_loss, {},
        [True, False])

    # Second derivatives of a few losses with respect to the prediction.
    for op, args, fn, t in [
        ('crossEntropy', {}, lambda x: TF.cross_entropy(x, idx), idx),
        ('bceWithLogitsLoss', {}, lambda x: TF.binary_cross_entropy_with_logits(x, probs_t),
         probs_t),
        ('mseLoss', {}, lambda x: TF.mse_loss(x, probs_t), probs_t),
        ('huberLoss', {'delta': 0.5}, lambda x: TF.huber_loss(x, probs_t, delta=0.5), probs_t),
    ]:
        x = randn(N, C)
        gg = gradgrad(fn, x)
        cases.append({'name': f'{op}/second derivative', 'op': op, 'kind': 'gradgrad',
                      'args': args, 'inputs': [T(x), T(t)], **gg})
    return cases


# ---------------------------------------------------------------- special functions


def special_cases():
    mpmath.mp.dps = 40
    xs = [0.0, 1e-300, 1e-20, 1e-8, 1e-3, 0.1, 0.25, 0.4769362762044699, 0.5, 0.75, 0.84375,
          0.9, 1.0, 1.25, 1.4, 1.5, 1.6, 1.75, 2.0, 2.2, 2.5, 2.9, 3.0, 3.5, 4.0, 4.5, 5.0, 5.9,
          6.0, 7.5, 9.0, 12.0, 20.0, 26.0, 26.6, 27.5]
    xs = xs + [-v for v in xs if v != 0.0]
    erf = [float(mpmath.erf(mpmath.mpf(v))) for v in xs]
    erfc = [float(mpmath.erfc(mpmath.mpf(v))) for v in xs]
    return [{'name': 'erf/erfc reference points (mpmath, 40 digits)', 'op': 'erf',
             'x': xs, 'erf': erf, 'erfc': erfc,
             'torchErf': torch.erf(torch.tensor(xs)).tolist()}]


# ---------------------------------------------------------------- layers


def layer_cases():
    cases = []
    # Linear: y = x W^T + b, weight [out, in].
    for shape in [(4, 3), (2, 5, 3), (3,)]:
        lin = torch.nn.Linear(3, 2)
        with torch.no_grad():
            lin.weight.copy_(randn(2, 3))
            lin.bias.copy_(randn(2))
        x = randn(*shape).requires_grad_(True)
        y = lin(x)
        g = randn(*y.shape)
        (y * g).sum().backward()
        cases.append({'name': f'Linear/x {list(shape)}', 'op': 'Linear',
                      'args': {'inFeatures': 3, 'outFeatures': 2},
                      'state': {'weight': T(lin.weight), 'bias': T(lin.bias)}, 'x': T(x),
                      'out': T(y), 'upstream': T(g), 'grads': {'x': T(x.grad),
                      'weight': T(lin.weight.grad), 'bias': T(lin.bias.grad)}})

    # conv2d with stride/padding variants, weights [Cout, Cin, kH, kW].
    conv_variants = [
        ('k3 s1 p0', (2, 3, 6, 6), (4, 3, 3, 3), {'stride': 1, 'padding': 0}, True),
        ('k3 s2 p1', (2, 3, 7, 7), (4, 3, 3, 3), {'stride': 2, 'padding': 1}, True),
        ('k2 s[1,2] p[1,0] no bias', (1, 2, 5, 6), (3, 2, 2, 2),
         {'stride': [1, 2], 'padding': [1, 0]}, False),
        ('k1 s1 p0 (1x1)', (2, 3, 4, 4), (2, 3, 1, 1), {'stride': 1, 'padding': 0}, True),
        ('k[3,2] s1 p[1,1]', (1, 1, 5, 4), (2, 1, 3, 2), {'stride': 1, 'padding': [1, 1]}, True),
    ]
    for name, xs, ws, opts, has_bias in conv_variants:
        x, w = randn(*xs), randn(*ws)
        b = randn(ws[0]) if has_bias else None
        inputs = [x, w] + ([b] if has_bias else [])

        def fn(*t, opts=opts, has_bias=has_bias):
            return TF.conv2d(t[0], t[1], t[2] if has_bias else None, stride=opts['stride'],
                             padding=opts['padding'])
        # Second order too: conv is bilinear, so d²/dx dw is the interesting part.
        cases.append(case(f'conv2d/{name}', 'conv2d', inputs, fn, opts, second=True))

    for name, op, xs, opts in [
        ('k2 s2', 'maxPool2d', (2, 3, 4, 4), {'kernelSize': 2, 'stride': 2}),
        ('k3 s1', 'maxPool2d', (1, 2, 5, 5), {'kernelSize': 3, 'stride': 1}),
        ('k3 s2 p1', 'maxPool2d', (1, 2, 6, 6), {'kernelSize': 3, 'stride': 2, 'padding': 1}),
        ('k2 default stride', 'maxPool2d', (1, 1, 4, 6), {'kernelSize': 2}),
        ('k2 s2', 'avgPool2d', (2, 3, 4, 4), {'kernelSize': 2, 'stride': 2}),
        ('k3 s1', 'avgPool2d', (1, 2, 5, 5), {'kernelSize': 3, 'stride': 1}),
        ('k3 s2 p1 (torch counts padding)', 'avgPool2d', (1, 2, 6, 6),
         {'kernelSize': 3, 'stride': 2, 'padding': 1}),
        ('k[2,3] s[2,1]', 'avgPool2d', (1, 1, 4, 6), {'kernelSize': [2, 3], 'stride': [2, 1]}),
    ]:
        fn_t = TF.max_pool2d if op == 'maxPool2d' else TF.avg_pool2d
        cases.append(case(f'{op}/{name}', op, [randn(*xs)],
                          lambda x, o=opts, f=fn_t: f(x, o['kernelSize'], o.get('stride'),
                                                      o.get('padding', 0)), opts,
                          second=True))

    # BatchNorm in training mode for a few steps (running stats), then eval mode.
    for cls, name, shape in [(torch.nn.BatchNorm1d, 'BatchNorm1d', (6, 3)),
                             (torch.nn.BatchNorm1d, 'BatchNorm1d', (4, 3, 5)),
                             (torch.nn.BatchNorm2d, 'BatchNorm2d', (3, 3, 4, 4))]:
        C = shape[1]
        for eps, momentum in [(1e-5, 0.1), (1e-3, 0.3)]:
            bn = cls(C, eps=eps, momentum=momentum)
            with torch.no_grad():
                bn.weight.copy_(rand(C, lo=0.5, hi=1.5))
                bn.bias.copy_(randn(C))
            state0 = {'weight': T(bn.weight), 'bias': T(bn.bias)}
            steps = []
            bn.train()
            for _ in range(3):
                bn.zero_grad()
                x = (randn(*shape) * 2 + 1).requires_grad_(True)
                y = bn(x)
                g = randn(*y.shape)
                (y * g).sum().backward()
                steps.append({'x': T(x), 'out': T(y), 'upstream': T(g),
                              'grads': {'x': T(x.grad), 'weight': T(bn.weight.grad),
                                        'bias': T(bn.bias.grad)},
                              'runningMean': T(bn.running_mean), 'runningVar': T(bn.running_var)})
            bn.eval()
            x = randn(*shape)
            y = bn(x)
            cases.append({'name': f'{name}/{list(shape)} eps {eps} momentum {momentum}',
                          'op': name, 'args': {'numFeatures': C, 'eps': eps, 'momentum': momentum},
                          'state': state0, 'train': steps, 'eval': {'x': T(x), 'out': T(y)}})

    # Recurrent layers with PyTorch's parameter layouts (gate order i,f,g,o / r,z,n).
    Tn, B, I, H = 5, 2, 3, 4
    for name in ['RNN', 'LSTM', 'GRU']:
        m = getattr(torch.nn, name)(I, H)
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(rand(*p.shape, lo=-0.6, hi=0.6))
        x = randn(Tn, B, I).requires_grad_(True)
        h0 = randn(1, B, H).requires_grad_(True)
        c0 = randn(1, B, H).requires_grad_(True)
        if name == 'LSTM':
            out, (h, c) = m(x, (h0, c0))
        else:
            out, h = m(x, h0)
            c = None
        g_out, g_h = randn(*out.shape), randn(*h.shape)
        loss = (out * g_out).sum() + (h * g_h).sum()
        g_c = None
        if c is not None:
            g_c = randn(*c.shape)
            loss = loss + (c * g_c).sum()
        loss.backward()
        state = {'weightIh': T(m.weight_ih_l0), 'weightHh': T(m.weight_hh_l0),
                 'biasIh': T(m.bias_ih_l0), 'biasHh': T(m.bias_hh_l0)}
        grads = {'x': T(x.grad), 'h0': T(h0.grad[0]), 'weightIh': T(m.weight_ih_l0.grad),
                 'weightHh': T(m.weight_hh_l0.grad), 'biasIh': T(m.bias_ih_l0.grad),
                 'biasHh': T(m.bias_hh_l0.grad)}
        c_case = {'name': f'{name}/T{Tn} B{B} I{I} H{H}', 'op': name,
                  'args': {'inputSize': I, 'hiddenSize': H}, 'state': state,
                  # h and c are [B, H] (PyTorch's [numLayers=1, B, H] without the layer axis).
                  'x': T(x), 'h0': T(h0[0]), 'out': T(out), 'h': T(h[0]),
                  'upstream': {'out': T(g_out), 'h': T(g_h[0])}, 'grads': grads}
        if c is not None:
            c_case['c0'] = T(c0[0])
            c_case['c'] = T(c[0])
            c_case['upstream']['c'] = T(g_c[0])
            c_case['grads']['c0'] = T(c0.grad[0])
        cases.append(c_case)
    cases.extend(layer_extra_cases())
    return cases


def recurrent_state(m):
    return {'weightIh': T(m.weight_ih), 'weightHh': T(m.weight_hh), 'biasIh': T(m.bias_ih),
            'biasHh': T(m.bias_hh)}


def layer_extra_cases():
    """Modules around the functional core: Conv2d and pooling layers, the one-step cells,
    and a batch-first LSTM started from zero state."""
    cases = []
    conv = torch.nn.Conv2d(2, 3, 3, stride=2, padding=1)
    with torch.no_grad():
        conv.weight.copy_(randn(3, 2, 3, 3))
        conv.bias.copy_(randn(3))
    x = randn(2, 2, 5, 5).requires_grad_(True)
    y = conv(x)
    g = randn(*y.shape)
    (y * g).sum().backward()
    cases.append({'name': 'Conv2d module/k3 s2 p1', 'op': 'Conv2dModule',
                  'args': {'inChannels': 2, 'outChannels': 3, 'kernelSize': 3, 'stride': 2,
                           'padding': 1},
                  'state': {'weight': T(conv.weight), 'bias': T(conv.bias)}, 'x': T(x),
                  'out': T(y), 'upstream': T(g),
                  'grads': {'x': T(x.grad), 'weight': T(conv.weight.grad),
                            'bias': T(conv.bias.grad)}})
    for name, cls in [('MaxPool2d', torch.nn.MaxPool2d), ('AvgPool2d', torch.nn.AvgPool2d)]:
        m = cls(3, stride=2, padding=1)
        x = randn(1, 2, 6, 5).requires_grad_(True)
        y = m(x)
        g = randn(*y.shape)
        (y * g).sum().backward()
        cases.append({'name': f'{name} module/k3 s2 p1', 'op': f'{name}Module',
                      'args': {'kernelSize': 3, 'stride': 2, 'padding': 1}, 'state': {},
                      'x': T(x), 'out': T(y), 'upstream': T(g), 'grads': {'x': T(x.grad)}})

    B, I, H = 3, 2, 4
    for name in ['RNNCell', 'LSTMCell', 'GRUCell']:
        m = getattr(torch.nn, name)(I, H)
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(rand(*p.shape, lo=-0.7, hi=0.7))
        x = randn(B, I).requires_grad_(True)
        h0 = randn(B, H).requires_grad_(True)
        c0 = randn(B, H).requires_grad_(True)
        if name == 'LSTMCell':
            h, c = m(x, (h0, c0))
        else:
            h, c = m(x, h0), None
        g_h = randn(*h.shape)
        loss = (h * g_h).sum()
        c_case = {'name': f'{name}/B{B} I{I} H{H}', 'op': name,
                  'args': {'inputSize': I, 'hiddenSize': H}, 'state': recurrent_state(m),
                  'x': T(x), 'h0': T(h0), 'h': T(h), 'upstream': {'h': T(g_h)}}
        if c is not None:
            g_c = randn(*c.shape)
            loss = loss + (c * g_c).sum()
            c_case.update({'c0': T(c0), 'c': T(c)})
            c_case['upstream']['c'] = T(g_c)
        loss.backward()
        c_case['grads'] = {'x': T(x.grad), 'h0': T(h0.grad), 'weightIh': T(m.weight_ih.grad),
                           'weightHh': T(m.weight_hh.grad), 'biasIh': T(m.bias_ih.grad),
                           'biasHh': T(m.bias_hh.grad)}
        if c is not None:
            c_case['grads']['c0'] = T(c0.grad)
        cases.append(c_case)

    m = torch.nn.LSTM(I, H, batch_first=True)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(rand(*p.shape, lo=-0.6, hi=0.6))
    x = randn(2, 4, I).requires_grad_(True)
    out, (h, c) = m(x)
    g_out = randn(*out.shape)
    (out * g_out).sum().backward()
    cases.append({'name': 'LSTM/batchFirst, zero initial state', 'op': 'LSTMNoState',
                  'args': {'inputSize': I, 'hiddenSize': H, 'batchFirst': True},
                  'state': {'weightIh': T(m.weight_ih_l0), 'weightHh': T(m.weight_hh_l0),
                            'biasIh': T(m.bias_ih_l0), 'biasHh': T(m.bias_hh_l0)},
                  'x': T(x), 'out': T(out), 'h': T(h[0]), 'c': T(c[0]),
                  'upstream': {'out': T(g_out)},
                  'grads': {'x': T(x.grad), 'weightIh': T(m.weight_ih_l0.grad),
                            'weightHh': T(m.weight_hh_l0.grad), 'biasIh': T(m.bias_ih_l0.grad),
                            'biasHh': T(m.bias_hh_l0.grad)}})
    return cases


# ---------------------------------------------------------------- initialisation


def init_cases():
    """torch.nn.init's formulas (gains, fans, bounds, standard deviations); the random draws
    differ between the engines, so the tests check ranges and spreads, not values."""
    init = torch.nn.init
    gains = [{'nonlinearity': n, 'param': p, 'gain': init.calculate_gain(n, p)}
             for n, p in [('linear', None), ('conv2d', None), ('sigmoid', None), ('tanh', None),
                          ('relu', None), ('leaky_relu', None), ('leaky_relu', 0.2),
                          ('leaky_relu', 0.0), ('selu', None)]]
    schemes = []
    for shape in [(300, 200), (64, 16, 3, 3)]:
        w = torch.empty(*shape)
        fan_in, fan_out = init._calculate_fan_in_and_fan_out(w)
        entry = {'shape': list(shape), 'fanIn': fan_in, 'fanOut': fan_out}
        entry['xavierUniformBound'] = math.sqrt(6.0 / (fan_in + fan_out))
        entry['xavierNormalStd'] = math.sqrt(2.0 / (fan_in + fan_out))
        entry['kaimingUniformBound'] = init.calculate_gain('leaky_relu', 0) * math.sqrt(3.0 / fan_in)
        entry['kaimingUniformReluFanOutBound'] = math.sqrt(2.0) * math.sqrt(3.0 / fan_out)
        entry['kaimingNormalStd'] = init.calculate_gain('leaky_relu', 0) / math.sqrt(fan_in)
        # Linear/Conv default: kaiming_uniform_(a=sqrt(5)) and bias U(-1/sqrt(fan_in), ...).
        entry['defaultWeightBound'] = init.calculate_gain('leaky_relu', math.sqrt(5)) * math.sqrt(
            3.0 / fan_in)
        entry['defaultBiasBound'] = 1 / math.sqrt(fan_in)
        # Empirical check that these are torch's own numbers.
        torch.manual_seed(0)
        assert abs(init.xavier_uniform_(torch.empty(*shape)).abs().max().item()
                   - entry['xavierUniformBound']) < 0.01 * entry['xavierUniformBound']
        lin_w = torch.empty(*shape)
        init.kaiming_uniform_(lin_w, a=math.sqrt(5))
        assert lin_w.abs().max().item() <= entry['defaultWeightBound'] + 1e-12
        schemes.append(entry)
    return [{'name': 'nn.init formulas', 'op': 'init', 'gains': gains, 'schemes': schemes}]


# ---------------------------------------------------------------- optimizers and schedules


def problems():
    theta = 0.4
    Q = torch.tensor([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    A = Q @ torch.diag(torch.tensor([1.0, 25.0])) @ Q.T
    A = torch.round(A * 1e6) / 1e6
    b = torch.tensor([1.0, -2.0])
    e0, e1 = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    return {
        # f(x) = 1/2 x^T A x - b^T x, condition number 25.
        'quadratic': {'x0': [1.5, -0.5], 'A': T(A), 'b': T(b),
                      'fn': lambda x: 0.5 * (x * (A @ x)).sum() - (b * x).sum()},
        # Rosenbrock (1 - x0)^2 + 100 (x1 - x0^2)^2 from (-1.2, 1).
        'rosenbrock': {'x0': [-1.2, 1.0],
                       'fn': lambda x: (1 - (x * e0).sum()) ** 2
                       + 100 * ((x * e1).sum() - (x * e0).sum() ** 2) ** 2},
    }


TORCH_NAMES = {'weightDecay': 'weight_decay', 'lrDecay': 'lr_decay',
               'initialAccumulatorValue': 'initial_accumulator_value', 'stepSize': 'step_size',
               'tMax': 'T_max', 'etaMin': 'eta_min', 'totalIters': 'total_iters',
               'startFactor': 'start_factor', 'endFactor': 'end_factor'}


def torch_opts(o):
    return {TORCH_NAMES.get(k, k): (tuple(v) if isinstance(v, list) else v) for k, v in o.items()}


def optim_cases():
    cases = []
    configs = [
        ('SGD', {'lr': 0.02}),
        ('SGD', {'lr': 0.02, 'momentum': 0.9}),
        ('SGD', {'lr': 0.02, 'momentum': 0.9, 'nesterov': True}),
        ('SGD', {'lr': 0.02, 'momentum': 0.8, 'weightDecay': 0.1}),
        ('SGD', {'lr': 0.02, 'momentum': 0.9, 'dampening': 0.5}),
        ('SGD', {'lr': 0.02, 'weightDecay': 0.05}),
        ('Adagrad', {'lr': 0.5}),
        ('Adagrad', {'lr': 0.5, 'weightDecay': 0.1, 'lrDecay': 0.01,
                     'initialAccumulatorValue': 0.1}),
        ('RMSprop', {'lr': 0.01}),
        ('RMSprop', {'lr': 0.01, 'alpha': 0.9, 'momentum': 0.9}),
        ('RMSprop', {'lr': 0.01, 'centered': True}),
        ('RMSprop', {'lr': 0.01, 'centered': True, 'momentum': 0.5, 'weightDecay': 0.1}),
        ('Adadelta', {'lr': 1.0}),
        ('Adadelta', {'lr': 0.5, 'rho': 0.95, 'eps': 1e-4, 'weightDecay': 0.1}),
        ('Adam', {'lr': 0.05}),
        ('Adam', {'lr': 0.05, 'betas': [0.8, 0.99], 'eps': 1e-6}),
        ('Adam', {'lr': 0.05, 'amsgrad': True}),
        ('Adam', {'lr': 0.05, 'weightDecay': 0.1}),
        ('AdamW', {'lr': 0.05}),
        ('AdamW', {'lr': 0.05, 'weightDecay': 0.1, 'amsgrad': True}),
    ]
    steps = 20
    for pname, prob in problems().items():
        for opt_name, opts in configs:
            o = dict(opts)
            # Rosenbrock's curvature near the start is ~1000; plain SGD needs a much smaller step.
            if opt_name == 'SGD' and pname == 'rosenbrock':
                o['lr'] = 0.0005
            x = torch.tensor(prob['x0'], requires_grad=True)
            opt = getattr(torch.optim, opt_name)([x], **torch_opts(o))
            traj, losses = [], []
            for _ in range(steps):
                opt.zero_grad()
                loss = prob['fn'](x)
                loss.backward()
                opt.step()
                losses.append(loss.item())
                traj.append(x.detach().tolist())
            label = json.dumps(o, separators=(',', ':'))
            cases.append({'name': f'{opt_name} {label}/{pname}', 'op': opt_name, 'options': o,
                          'problem': pname, 'x0': prob['x0'], 'losses': losses,
                          'params': traj})
    cases.extend(regression_optim_cases())
    return cases


def regression_problem():
    X = randn(6, 3)
    Y = randn(6, 2)
    W0 = randn(2, 3) * 0.5
    b0 = randn(2) * 0.5
    return X, Y, W0, b0


def regression_optim_cases():
    """Two parameters (W [2,3], b [2]) of a least-squares fit, 10 steps: per-parameter state,
    param groups with their own options, and maximize."""
    X, Y, W0, b0 = regression_problem()
    data = {'X': T(X), 'Y': T(Y), 'W0': T(W0), 'b0': T(b0)}
    configs = [
        ('SGD', {'lr': 0.05, 'momentum': 0.9, 'nesterov': True, 'weightDecay': 0.01}, None),
        ('Adam', {'lr': 0.05, 'amsgrad': True}, None),
        ('AdamW', {'lr': 0.05, 'weightDecay': 0.1}, None),
        ('RMSprop', {'lr': 0.01, 'centered': True, 'momentum': 0.5}, None),
        ('Adagrad', {'lr': 0.2, 'lrDecay': 0.05}, None),
        ('Adadelta', {'lr': 1.0}, None),
        ('SGD', {'lr': 0.05, 'momentum': 0.5}, [{'lr': 0.02}, {'lr': 0.1, 'momentum': 0.0}]),
        ('Adam', {'lr': 0.05}, [{}, {'lr': 0.01, 'betas': [0.5, 0.9]}]),
        ('SGD', {'lr': 0.05, 'maximize': True}, None),
        ('Adam', {'lr': 0.05, 'maximize': True}, None),
        # maximize together with weight decay: which sign the decay term gets.
        ('SGD', {'lr': 0.05, 'momentum': 0.9, 'weightDecay': 0.1, 'maximize': True}, None),
        ('Adam', {'lr': 0.05, 'weightDecay': 0.1, 'maximize': True}, None),
        ('AdamW', {'lr': 0.05, 'weightDecay': 0.1, 'amsgrad': True, 'maximize': True}, None),
        ('Adagrad', {'lr': 0.2, 'weightDecay': 0.1, 'maximize': True}, None),
        ('RMSprop', {'lr': 0.01, 'centered': True, 'weightDecay': 0.1, 'maximize': True}, None),
        ('Adadelta', {'lr': 1.0, 'weightDecay': 0.1, 'maximize': True}, None),
    ]
    cases = []
    for opt_name, opts, groups in configs:
        W = W0.clone().requires_grad_(True)
        b = b0.clone().requires_grad_(True)
        if groups is None:
            params = [W, b]
        else:
            params = [{'params': [W], **torch_opts(groups[0])},
                      {'params': [b], **torch_opts(groups[1])}]
        opt = getattr(torch.optim, opt_name)(params, **torch_opts(opts))
        sign = -1.0 if opts.get('maximize') else 1.0
        traj, losses = [], []
        for _ in range(10):
            opt.zero_grad()
            loss = sign * TF.mse_loss(X @ W.T + b, Y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
            traj.append({'W': W.detach().reshape(-1).tolist(), 'b': b.detach().tolist()})
        label = json.dumps(opts, separators=(',', ':'))
        glabel = '' if groups is None else ' groups ' + json.dumps(groups, separators=(',', ':'))
        cases.append({'name': f'{opt_name} {label}{glabel}/regression W,b', 'op': opt_name,
                      'options': opts, 'groups': groups, 'problem': 'regression',
                      'sign': sign, 'data': data, 'losses': losses, 'params': traj})
    return cases


def schedule_cases():
    cases = []
    base = 0.1
    scheds = [
        ('StepLR', {'stepSize': 3, 'gamma': 0.5}),
        ('MultiStepLR', {'milestones': [2, 5, 9], 'gamma': 0.3}),
        ('ExponentialLR', {'gamma': 0.9}),
        ('CosineAnnealingLR', {'tMax': 10}),
        ('CosineAnnealingLR', {'tMax': 8, 'etaMin': 0.001}),
        ('PolynomialLR', {'totalIters': 10, 'power': 2.0}),
        ('PolynomialLR', {'totalIters': 6, 'power': 1.0}),
        ('LinearLR', {'startFactor': 0.25, 'endFactor': 1.0, 'totalIters': 4}),
    ]
    for name, o in scheds:
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=base)
        s = getattr(torch.optim.lr_scheduler, name)(opt, **torch_opts(o))
        lrs = [opt.param_groups[0]['lr']]
        for _ in range(14):
            opt.step()
            s.step()
            lrs.append(opt.param_groups[0]['lr'])
        label = json.dumps(o, separators=(',', ':'))
        cases.append({'name': f'{name} {label}', 'op': name, 'options': o, 'baseLr': base,
                      'lrs': lrs})
    return cases


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    SETTINGS['second_order'] = True
    write('core.json', {**meta(), 'cases': core_cases()})
    SETTINGS['second_order'] = False
    SETTINGS['nonfinite'] = True
    write('special-values.json', {**meta(), 'cases': special_value_cases()})
    SETTINGS['nonfinite'] = False
    write('higher.json', {**meta(), 'cases': higher_cases()})
    write('float32.json', {**meta(), 'dtype': 'float32', 'cases': float32_cases()})
    write('activations.json', {**meta(), 'cases': activation_cases()})
    write('losses.json', {**meta(), 'cases': loss_cases()})
    write('special.json', {**meta(), 'cases': special_cases()})
    write('layers.json', {**meta(), 'cases': layer_cases()})
    probs = {k: {kk: vv for kk, vv in v.items() if kk != 'fn'} for k, v in problems().items()}
    write('optim.json', {**meta(), 'problems': probs, 'cases': optim_cases()})
    write('init.json', {**meta(), 'cases': init_cases()})
    write('schedules.json', {**meta(), 'cases': schedule_cases()})
    total = sum(os.path.getsize(os.path.join(OUT_DIR, f)) for f in os.listdir(OUT_DIR)
                if f.endswith('.json'))
    print(f'total {total / 1024:.1f} KB')


if __name__ == '__main__':
    sys.exit(main())
