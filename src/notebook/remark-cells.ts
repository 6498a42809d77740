/**
 * remark plugin: turns fenced code blocks marked `cell` into the Cell component, with the
 * outputs of running the page's cells at build time.
 *
 * ````mdx
 * ```ts cell id="gd-table" hidden readonly long timeout=120
 * x ** 2
 * ```
 * ````
 *
 * Options: `id="…"` (stable, unique on the page; a content hash if missing), `hidden` (setup
 * code, collapsed), `readonly`, `long` (not run at build time), `timeout=N` (seconds, default 60).
 * Only .mdx files are transformed; in plain Markdown such a block stays a code block.
 */
import { dirname, relative, resolve } from 'node:path';
import { parse } from 'acorn';
import { runPageCells, type BuildCell } from './build-runner.ts';
import { hashCode } from './hash.ts';

interface MdNode {
  type: string;
  lang?: string | null;
  meta?: string | null;
  value?: string;
  children?: MdNode[];
  [key: string]: unknown;
}

export interface CellMeta {
  id: string | null;
  hidden: boolean;
  readonly: boolean;
  long: boolean;
  timeout: number;
}

export const DEFAULT_TIMEOUT = 60;

/** Reads the words after the language of a fence: `cell id="x" hidden timeout=120`. */
export function parseCellMeta(meta: string): CellMeta | null {
  const words = new Map<string, string | true>();
  for (const m of meta.matchAll(/([\w-]+)(?:=("[^"]*"|'[^']*'|[^\s"']+))?/g)) {
    const value = m[2];
    words.set(m[1]!, value === undefined ? true : value.replace(/^["']|["']$/g, ''));
  }
  if (!words.has('cell')) return null;
  const id = words.get('id');
  const timeout = Number(words.get('timeout'));
  return {
    id: typeof id === 'string' && id ? id : null,
    hidden: words.has('hidden'),
    readonly: words.has('readonly'),
    long: words.has('long'),
    timeout: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT,
  };
}

const COMPONENT = '__DescentCell';

function attribute(name: string, value: string | null) {
  return { type: 'mdxJsxAttribute', name, value };
}

export interface RemarkCellsOptions {
  /** Project root (where components/ and packages/ are). Defaults to the working directory. */
  root?: string;
}

export default function remarkCells(options: RemarkCellsOptions = {}) {
  const root = options.root ?? process.cwd();
  const cellComponent = resolve(root, 'components/Cell.astro');

  // `tree` is mdast's Root; typed loosely here since we only walk `children` and `code` nodes.
  return async function transformer(input: unknown, file: { path?: string; history?: string[] }) {
    const tree = input as MdNode;
    const path = file.path ?? file.history?.[0] ?? '';
    if (!path.endsWith('.mdx')) return;
    const found: { node: MdNode; meta: CellMeta; code: string }[] = [];
    const visit = (node: MdNode) => {
      if (node.type === 'code' && (node.lang === 'ts' || node.lang === 'typescript') && node.meta) {
        const meta = parseCellMeta(node.meta);
        if (meta) found.push({ node, meta, code: node.value ?? '' });
      }
      node.children?.forEach(visit);
    };
    visit(tree);
    if (found.length === 0) return;

    const page = relative(root, path);
    const seen = new Set<string>();
    const cells: BuildCell[] = found.map(({ meta, code }) => {
      let id = meta.id ?? `cell-${hashCode(code).slice(0, 6)}`;
      if (!meta.id) console.warn(`[cells] ${page}: a cell has no id; using "${id}"`);
      if (seen.has(id)) {
        let n = 2;
        while (seen.has(`${id}-${n}`)) n++;
        console.warn(`[cells] ${page}: duplicate cell id "${id}"; renamed "${id}-${n}"`);
        id = `${id}-${n}`;
      }
      seen.add(id);
      return { id, code, long: meta.long, timeout: meta.timeout };
    });
    const results = await runPageCells(page, cells, { root });

    found.forEach(({ node, meta }, i) => {
      const cell = cells[i]!;
      const result = results[i];
      const attributes = [
        attribute('id', cell.id),
        attribute('code', cell.code),
        attribute('timeout', String(meta.timeout)),
      ];
      if (meta.hidden) attributes.push(attribute('hidden', null));
      if (meta.readonly) attributes.push(attribute('readonly', null));
      if (meta.long) attributes.push(attribute('long', null));
      if (result) {
        const { outputs, ok, error } = result;
        attributes.push(attribute('result', JSON.stringify({ outputs, ok })));
        if (error?.line !== undefined && !error.cellId) {
          attributes.push(attribute('errorLine', String(error.line)));
        }
      }
      for (const key of Object.keys(node)) delete node[key];
      Object.assign(node, { type: 'mdxJsxFlowElement', name: COMPONENT, attributes, children: [] });
    });

    let from = relative(dirname(path), cellComponent).split('\\').join('/');
    if (!from.startsWith('.')) from = './' + from;
    const source = `import ${COMPONENT} from ${JSON.stringify(from)};`;
    const estree = parse(source, { ecmaVersion: 'latest', sourceType: 'module' });
    tree.children?.unshift({ type: 'mdxjsEsm', value: source, data: { estree } });
  };
}
