"""
PyTorch reference numbers for test/core/torch-parity.test.ts. Regenerate with
  /usr/bin/python3 packages/engine/test/core/torch/cases.py > packages/engine/test/core/torch/expected.json
and `npx prettier --write` it (generated with torch 1.13.1). Each case has a twin, by the same name, in the test file.
"""
import torch, json, math
out = {}
def g(f, *xs, dtype=torch.float64):
    ts = [torch.tensor(x, dtype=dtype, requires_grad=True) for x in xs]
    y = f(*ts)
    y.sum().backward() if y.dim() > 0 else y.backward()
    return {'y': y.detach().tolist(), 'g': [t.grad.tolist() if t.grad is not None else None for t in ts]}
out['clamp'] = g(lambda x: x.clamp(-1, 1), [-2., -1, 0, 1, 2])
out['clampMinGtMax'] = g(lambda x: x.clamp(6, 4), [0., 5, 10])
out['maxDimTies'] = g(lambda x: x.max(1).values, [[3., 1, 3], [2, 2, 0]])
out['maxAllTies'] = g(lambda x: x.max(), [3., 1, 3, 3])
out['minAllTies'] = g(lambda x: x.min(), [0., -1, 0])
out['maximumTies'] = g(lambda a, b: torch.maximum(a, b), [1., 2, 3], [2., 2, 2])
out['powZero'] = g(lambda a, b: a ** b, [0., 2, 0, 0], [2., 3, 0, -1])
out['powScalar0'] = g(lambda a: a ** 0, [0., 2])
out['powHalfAt0'] = g(lambda a: a ** 0.5, [0., 4])
out['sqrt0'] = g(lambda a: a.sqrt(), [0., 4])
out['abs0'] = g(lambda a: a.abs(), [0., -2])
out['relu0'] = g(lambda a: a.relu(), [0., -2, 3])
out['sign'] = torch.tensor([-3., 0, 2, float('nan')]).sign().tolist()
out['linspace7'] = torch.linspace(0, 1, 7).tolist()
out['linspace7_64'] = torch.linspace(-3, 1.3, 7, dtype=torch.float64).tolist()
out['arange01'] = torch.arange(0, 1, 0.1).tolist()
out['arange01_len'] = len(torch.arange(0, 1, 0.1, dtype=torch.float64))
out['var'] = torch.tensor([1., 2, 3, 4]).var().item()
out['std0'] = torch.tensor([[1., 2], [3, 5]]).std(0).tolist()
out['lseInf'] = torch.tensor([-math.inf, -math.inf]).logsumexp(0).item()
xs = [-20., -3.3, -0.7, 0.0, 0.1, 1.7, 5.5, 30.]
out['sigmoid32'] = torch.tensor(xs).sigmoid().tolist()
out['tanh32'] = torch.tensor(xs).tanh().tolist()
out['exp32'] = torch.tensor(xs).exp().tolist()
out['where'] = g(lambda a, b: torch.where(torch.tensor([True, False, True]), a, b), [1., 2, 3], [4., 5, 6])
out['divg'] = g(lambda a, b: a / b, [1., -2], [3., 0.5])
out['hessian'] = torch.autograd.functional.hessian(lambda x: (x ** 3).sum() + x[0] * x[1], torch.tensor([1., 2], dtype=torch.float64)).tolist()
out['jacobian'] = torch.autograd.functional.jacobian(lambda x: x.T * 2, torch.zeros(2, 3)).shape
out['maxNaN'] = torch.tensor([1., float('nan'), 3]).max().item()
out['argmaxNaN'] = torch.tensor([1., float('nan'), 3]).argmax().item()
out['maximumNaN'] = torch.maximum(torch.tensor([1., float('nan')]), torch.tensor([float('nan'), 2])).tolist()
out['clampNaN'] = torch.tensor([float('nan')]).clamp(0, 1).tolist()
out['reluNaN'] = torch.tensor([float('nan')]).relu().tolist()
out['sum32'] = torch.arange(1, 10001, dtype=torch.float32).mul(0.1).sum().item()
out['mean32'] = torch.tensor([0.1, 0.2, 0.7]).mean().item()
out['matmulVec'] = torch.matmul(torch.ones(2, 3, 4), torch.ones(4)).shape
out['pad'] = torch.nn.functional.pad(torch.tensor([[1., 2]]), (1, 0, 0, 1), value=9).tolist()
out['padNeg'] = torch.nn.functional.pad(torch.arange(5.), (-1, -2)).tolist()
out['chunk'] = [c.tolist() for c in torch.arange(6.).chunk(4)]
out['gatherG'] = g(lambda x: x.gather(1, torch.tensor([[0, 0], [1, 0]])), [[1., 2], [3, 4]])
out['cumMaxMinTie'] = g(lambda a, b: torch.minimum(a, b), [1., 2, 3], [2., 2, 2])
out['normGrad0'] = g(lambda x: (x*x).sum().sqrt(), [0., 0])
out['sigmoidBack32'] = g(lambda x: x.sigmoid(), xs, dtype=torch.float32)['g'][0]
out['tanhBack32'] = g(lambda x: x.tanh(), xs, dtype=torch.float32)['g'][0]
out['log0'] = g(lambda x: x.log(), [0., 1])
out['divByZero'] = (torch.tensor([1., -1, 0]) / 0).tolist()

W = torch.sin(torch.arange(24, dtype=torch.float64)).reshape(2, 3, 4)
V = torch.cos(torch.arange(20, dtype=torch.float64)).reshape(4, 5)
out['sumAxes'] = g(lambda x: x.sum((0, 2)) * torch.tensor([1., 2, 3], dtype=torch.float64), W.tolist())
out['meanAxis'] = g(lambda x: x.mean(1, keepdim=True) ** 2, W.tolist())
out['varGrad'] = g(lambda x: x.var(2), W.tolist())
out['stdGrad'] = g(lambda x: x.std(), W.tolist())
out['lseGrad'] = g(lambda x: x.logsumexp(1), W.tolist())
out['bmmBroadcast'] = g(lambda a, b: torch.matmul(a, b).sin(), W.tolist(), V.tolist())
out['permuteExpand'] = g(lambda x: x.permute(2, 0, 1).unsqueeze(0).expand(3, 4, 2, 3) * torch.arange(72, dtype=torch.float64).reshape(3, 4, 2, 3), W.tolist())
out['sliceStep'] = g(lambda x: x[:, 1:, ::2] * 3, W.tolist())
out['indexSelect'] = g(lambda x: x.index_select(2, torch.tensor([3, 0, 3])).exp(), W.tolist())
out['catStack'] = g(lambda a: torch.cat([a, a * 2], 1).sum(0) + torch.stack([a[0], a[1]], 2).sum(), W.tolist())
out['where2'] = g(lambda a: torch.where(a > 0, a.exp(), a * a), W.tolist())
def hess(f, x):
    return torch.autograd.functional.hessian(f, torch.tensor(x, dtype=torch.float64)).tolist()
x5 = [0.3, -1.2, 0.7, 2.0, -0.4]
out['hessTanhSig'] = hess(lambda x: (x.tanh() * x.sigmoid() / (1 + x ** 2)).sum(), x5)
out['hessLse'] = hess(lambda x: x.logsumexp(0), x5)
out['hessPowDiv'] = hess(lambda x: (x.abs() + 1).pow(x.cos()).sum() / (x * x).sum().sqrt(), x5)
out['hessMatmul'] = hess(lambda x: (torch.outer(x, x).matmul(x.exp())).sum(), x5)
out['hessLog'] = hess(lambda x: (x * x + 1).log().prod(), x5)
out['jacSoftmaxish'] = torch.autograd.functional.jacobian(lambda x: x.exp() / x.exp().sum(), torch.tensor(x5, dtype=torch.float64)).tolist()
out['f32matmul'] = torch.matmul(torch.sin(torch.arange(12.)).reshape(3, 4), torch.cos(torch.arange(8.)).reshape(4, 2)).tolist()
out['f32mixed'] = (torch.tensor([0.1, 0.2]) + torch.tensor([0.3, 0.4], dtype=torch.float64)).tolist()
out['f32scalar'] = (torch.tensor([0.1, 0.2]) * 0.3).tolist()
out['solveG'] = g(lambda A, b: torch.linalg.solve(A, b).sin(), [[4., 1, 0], [1, 3, 1], [0, 1, 2]], [1., 2, 3])
out['solveG2'] = g(lambda A, b: torch.linalg.solve(A, b).exp(), [[2., 1], [1, 3]], [[1., 2], [3, 4]])
out['normZero'] = g(lambda x: x.norm(), [0., 0])
out['normAxis'] = g(lambda x: torch.linalg.vector_norm(x, 2, dim=1), [[3., 4], [1, -2]])
out['norm1inf'] = g(lambda x: torch.linalg.vector_norm(x, 1) + torch.linalg.vector_norm(x, float('inf')), [[3., -4], [1, -2]])
def fix(o):
    if isinstance(o, float):
        if math.isnan(o): return 'NaN'
        if math.isinf(o): return 'Infinity' if o > 0 else '-Infinity'
        return o
    if isinstance(o, (list, tuple)): return [fix(v) for v in o]
    if isinstance(o, dict): return {k: fix(v) for k, v in o.items()}
    if isinstance(o, torch.Size): return list(o)
    return o
print(json.dumps(fix(out)))
