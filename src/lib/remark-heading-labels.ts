/**
 * Stable labels for section headings, so links like `newton/#sec-saddle` never break when a
 * title is reworded. Authors may write either
 *
 *   ## Newton near a saddle {#sec-saddle}
 *   <h2 id="sec-saddle">Newton near a saddle</h2>
 *
 * Both become ordinary Markdown headings carrying that id, so Astro lists them in the page's
 * headings (the in-page contents) and KaTeX still renders math inside them.
 */
interface Node {
  type: string;
  name?: string;
  value?: string;
  depth?: number;
  children?: Node[];
  attributes?: { type: string; name: string; value?: unknown }[];
  data?: { hProperties?: Record<string, unknown> };
}

const labelSuffix = /\s*\{#([\w-]+)\}\s*$/;

export default function remarkHeadingLabels() {
  return (tree: Node) => {
    visit(tree);
  };
}

function visit(parent: Node) {
  const children = parent.children;
  if (!children) return;
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    if (node.type === 'heading') labelFromSuffix(node);
    else if (node.type === 'mdxJsxFlowElement' && /^h[2-6]$/.test(node.name ?? '')) {
      const heading = jsxHeading(node);
      if (heading) children[i] = heading;
    }
    visit(children[i]!);
  }
}

function labelFromSuffix(heading: Node) {
  const last = heading.children?.at(-1);
  if (last?.type !== 'text' || !last.value) return;
  const match = labelSuffix.exec(last.value);
  if (!match) return;
  last.value = last.value.slice(0, match.index);
  heading.data = { ...heading.data, hProperties: { ...heading.data?.hProperties, id: match[1] } };
}

/** `<h2 id="…">text</h2>` with only an id attribute becomes `## text` with that id. */
function jsxHeading(node: Node): Node | undefined {
  const attributes = node.attributes ?? [];
  const id = attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'id')?.value;
  if (typeof id !== 'string' || attributes.length !== 1) return undefined;
  const inline = (node.children ?? []).flatMap((child) =>
    child.type === 'paragraph' ? (child.children ?? []) : [child],
  );
  return {
    type: 'heading',
    depth: Number(node.name!.slice(1)),
    children: inline,
    data: { hProperties: { id } },
  };
}
