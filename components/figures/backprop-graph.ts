/**
 * The source's small computational graph (chapter 6, fig-bp-graph): x0′ = x0 + x1, x1′ = x1,
 * y = x0′·x1′. A step slider walks the forward pass (values appear node by node) and then the
 * backward pass (each node receives ∂y/∂node, the sum over its outgoing edges of the adjoint
 * of the child times the local derivative on the edge).
 */
import { defineFigure, palette } from '../../src/notebook/figures/define.ts';

type NodeKey = 'x0' | 'x1' | 'u' | 'v' | 'y';

interface GraphNode {
  key: NodeKey;
  name: string;
  x: number;
  y: number;
  /** The step at which the forward pass computes this node's value. */
  forwardStep: number;
  /** The step at which the backward pass knows ∂y/∂node. */
  backwardStep: number;
}

// u is x0′ and v is x1′ in the chapter's notation.
const NODES: GraphNode[] = [
  { key: 'x0', name: 'x₀', x: 0, y: 2, forwardStep: 1, backwardStep: 8 },
  { key: 'x1', name: 'x₁', x: 0, y: 0, forwardStep: 1, backwardStep: 9 },
  { key: 'u', name: 'x₀′', x: 1, y: 2, forwardStep: 2, backwardStep: 6 },
  { key: 'v', name: 'x₁′', x: 1, y: 0, forwardStep: 3, backwardStep: 7 },
  { key: 'y', name: 'y', x: 2, y: 1, forwardStep: 4, backwardStep: 5 },
];

interface Edge {
  from: NodeKey;
  to: NodeKey;
  /** Where the edge's local derivative is written, beside the arrow, and how it is anchored. */
  label: [number, number, 'start' | 'middle'];
}
const EDGES: Edge[] = [
  { from: 'x0', to: 'u', label: [0.5, 2.14, 'middle'] },
  { from: 'x1', to: 'u', label: [0.47, 0.8, 'start'] },
  { from: 'x1', to: 'v', label: [0.5, 0.14, 'middle'] },
  { from: 'u', to: 'y', label: [1.55, 1.64, 'start'] },
  { from: 'v', to: 'y', label: [1.55, 0.36, 'start'] },
];

export const LAST_STEP = 9;

/** Forward values and backward adjoints (∂y/∂node) of the graph for inputs x0, x1. */
export function evaluate(x0: number, x1: number) {
  const u = x0 + x1;
  const v = x1;
  const y = u * v;
  // Local derivatives, one per edge: ∂to/∂from.
  const local: Record<string, number> = { 'x0>u': 1, 'x1>u': 1, 'x1>v': 1, 'u>y': v, 'v>y': u };
  const adjoint: Record<NodeKey, number> = { y: 1, u: 0, v: 0, x0: 0, x1: 0 };
  adjoint.u = adjoint.y * local['u>y'];
  adjoint.v = adjoint.y * local['v>y'];
  adjoint.x0 = adjoint.u * local['x0>u'];
  adjoint.x1 = adjoint.u * local['x1>u'] + adjoint.v * local['x1>v'];
  return { value: { x0, x1, u, v, y } as Record<NodeKey, number>, local, adjoint };
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** What happens at each step, in words, with the numbers for the current inputs. */
export function explain(step: number, x0: number, x1: number): string {
  const { value: val, adjoint: g } = evaluate(x0, x1);
  switch (step) {
    case 0:
      return 'The graph before anything is computed. Move the step slider to run it.';
    case 1:
      return `Forward: the inputs are x₀ = ${fmt(x0)} and x₁ = ${fmt(x1)}.`;
    case 2:
      return `Forward: x₀′ = x₀ + x₁ = ${fmt(val.u)}.`;
    case 3:
      return `Forward: x₁′ = x₁ = ${fmt(val.v)}.`;
    case 4:
      return `Forward: y = x₀′ · x₁′ = ${fmt(val.y)}. The forward pass is done.`;
    case 5:
      return 'Backward: seed ∂y/∂y = 1 at the output.';
    case 6:
      return `Backward: ∂y/∂x₀′ = ∂y/∂y · x₁′ = ${fmt(g.u)} (the product's local derivative is the other factor).`;
    case 7:
      return `Backward: ∂y/∂x₁′ = ∂y/∂y · x₀′ = ${fmt(g.v)}.`;
    case 8:
      return `Backward: ∂y/∂x₀ = ∂y/∂x₀′ · 1 = ${fmt(g.x0)}.`;
    default:
      return `Backward: x₁ feeds two nodes, so ∂y/∂x₁ = ∂y/∂x₀′ · 1 + ∂y/∂x₁′ · 1 = ${fmt(g.u)} + ${fmt(g.v)} = ${fmt(g.x1)}.`;
  }
}

/** The node or edges the current step works on (drawn highlighted). */
function active(step: number): { node?: NodeKey; edges: string[] } {
  switch (step) {
    case 1:
      return { edges: [] };
    case 2:
      return { node: 'u', edges: ['x0>u', 'x1>u'] };
    case 3:
      return { node: 'v', edges: ['x1>v'] };
    case 4:
      return { node: 'y', edges: ['u>y', 'v>y'] };
    case 5:
      return { node: 'y', edges: [] };
    case 6:
      return { node: 'u', edges: ['u>y'] };
    case 7:
      return { node: 'v', edges: ['v>y'] };
    case 8:
      return { node: 'x0', edges: ['x0>u'] };
    case 9:
      return { node: 'x1', edges: ['x1>u', 'x1>v'] };
    default:
      return { edges: [] };
  }
}

const at = (key: NodeKey) => NODES.find((n) => n.key === key)!;

export default defineFigure({
  controls: {
    step: {
      type: 'range',
      label: 'Step',
      min: 0,
      max: LAST_STEP,
      step: 1,
      value: 0,
      format: (s: number) =>
        s === 0 ? '0 (start)' : s <= 4 ? `${s} (forward)` : `${s} (backward)`,
    },
    x0: { type: 'range', label: 'Input x₀', min: -3, max: 3, step: 0.5, value: 1 },
    x1: { type: 'range', label: 'Input x₁', min: -3, max: 3, step: 0.5, value: 2 },
  },
  render(state, { Plot, width }) {
    const { step, x0, x1 } = state;
    const { value, local, adjoint } = evaluate(x0, x1);
    const { node: activeNode, edges: activeEdges } = active(step);
    const radius = Math.max(18, Math.min(30, width / 22));
    const font = Math.max(11, Math.min(15, width / 45));
    const edges = EDGES.map((e) => {
      const id = `${e.from}>${e.to}`;
      const [a, b] = [at(e.from), at(e.to)];
      return {
        id,
        x1: a.x,
        y1: a.y,
        x2: b.x,
        y2: b.y,
        hot: activeEdges.includes(id),
        // Local derivatives are shown once the backward pass has started.
        label: step >= 5 ? `∂${b.name}/∂${a.name} = ${fmt(local[id]!)}` : '',
        lx: e.label[0],
        ly: e.label[1],
        anchor: e.label[2],
      };
    });
    const nodes = NODES.map((n) => ({
      ...n,
      top: step >= n.forwardStep ? `${n.name} = ${fmt(value[n.key])}` : n.name,
      bottom: step >= n.backwardStep ? `∂y/∂${n.name} = ${fmt(adjoint[n.key])}` : '',
      hot: n.key === activeNode,
      done: step >= n.forwardStep,
    }));
    return Plot.plot({
      width,
      height: Math.round(Math.max(320, width * 0.6)),
      x: { domain: [-0.45, 2.45], axis: null },
      y: { domain: [-0.75, 3.2], axis: null },
      marks: [
        // The step's explanation, wrapped to the plot's width (the text alternative repeats it).
        Plot.text([explain(step, x0, x1)], {
          frameAnchor: 'top-left',
          dx: 4,
          dy: 4,
          fontSize: font,
          lineWidth: Math.floor(((width - 12) / font) * 0.85), // in ems, with room for wide glyphs
          fill: 'currentColor',
        }),
        Plot.arrow(edges, {
          x1: 'x1',
          y1: 'y1',
          x2: 'x2',
          y2: 'y2',
          stroke: (d) => (d.hot ? (step >= 5 ? palette.orange : palette.blue) : 'currentColor'),
          strokeWidth: (d) => (d.hot ? 3 : 1.25),
          strokeOpacity: (d) => (d.hot ? 1 : 0.6),
          insetStart: radius + 2,
          insetEnd: radius + 4,
          headLength: 8,
        }),
        ...(['start', 'middle'] as const).map((anchor) =>
          Plot.text(
            edges.filter((d) => d.anchor === anchor),
            {
              x: 'lx',
              y: 'ly',
              text: 'label',
              textAnchor: anchor,
              fontSize: font - 2,
              fill: 'currentColor',
            },
          ),
        ),
        Plot.dot(nodes, {
          x: 'x',
          y: 'y',
          r: radius,
          fill: (d) => (d.done ? (d.hot ? palette.blue : 'currentColor') : 'none'),
          fillOpacity: (d) => (d.hot ? 0.25 : 0.06),
          stroke: (d) => (d.hot ? (step >= 5 ? palette.orange : palette.blue) : 'currentColor'),
          strokeWidth: (d) => (d.hot ? 3 : 1.5),
        }),
        Plot.text(nodes, { x: 'x', y: 'y', text: 'top', fontSize: font, fill: 'currentColor' }),
        Plot.text(nodes, {
          x: 'x',
          y: 'y',
          text: 'bottom',
          dy: radius + font,
          fontSize: font,
          fontWeight: 'bold',
          fill: 'currentColor',
        }),
      ],
    });
  },
  describe(state) {
    return `Step ${state.step} of ${LAST_STEP}. ${explain(state.step, state.x0, state.x1)}`;
  },
});
