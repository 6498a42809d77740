/**
 * The worker side of `computeIn: 'worker'`: imports the figure module by name and runs its
 * pure `compute(state)`. Figure modules import only define.ts (no DOM), so they load here.
 */
import { isFigure } from './define.ts';

const modules = import.meta.glob<{ default: unknown }>('../../../components/figures/*.ts');

self.addEventListener('message', async (event: MessageEvent) => {
  const { seq, module, state } = event.data as { seq: number; module: string; state: unknown };
  try {
    const entry = Object.entries(modules).find(([path]) => path.endsWith(`/${module}.ts`));
    if (!entry) throw new Error(`no module "${module}" in components/figures/`);
    const figure = (await entry[1]()).default;
    if (!isFigure(figure) || !figure.compute) throw new Error(`"${module}" has no compute()`);
    const data = figure.compute(state as never);
    self.postMessage({ seq, data });
  } catch (error) {
    self.postMessage({ seq, error: (error as Error).message ?? String(error) });
  }
});
