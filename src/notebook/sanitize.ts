/**
 * Cleans a figure (Observable Plot's SVG, or its <figure> wrapper) before it reaches the page.
 * Cells run reader-supplied code (for example from a shared link), so a figure's markup is
 * untrusted: we keep drawing elements and drop anything that can run code or load resources.
 *
 * Works on any DOM: linkedom in the kernel (worker and build), the real DOM on the page. The
 * kernel cleans every figure it produces, and the page cleans again whatever the worker sends
 * (code in the worker could post a fake message), so both layers use this one function.
 */

const REMOVE = new Set([
  'script',
  'foreignobject',
  'iframe',
  'object',
  'embed',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'audio',
  'video',
  'animate',
  'animatemotion',
  'animatetransform',
  'set',
  'handler',
  'listener',
]);

const URL_ATTRIBUTES = new Set([
  'href',
  'xlink:href',
  'src',
  'srcset',
  'action',
  'formaction',
  'poster',
  'background',
  'ping',
  'data',
  'codebase',
]);

/** True for a URL attribute value we allow: local fragments and inline images only. */
function safeUrl(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v.startsWith('#') || /^data:image\/(png|jpeg|gif|webp);/.test(v);
}

function cleanCss(css: string): string {
  // NOTE: url(...) and @import could make the page fetch attacker-chosen addresses.
  return css.replace(/@import[^;]*;?/gi, '').replace(/url\s*\([^)]*\)/gi, 'none');
}

/** Removes dangerous elements and attributes from `root` and its descendants, in place. */
export function sanitizeTree(root: Element): void {
  const all = [root, ...Array.from(root.querySelectorAll('*'))];
  for (const el of all) {
    const tag = el.tagName.toLowerCase();
    if (REMOVE.has(tag)) {
      if (el !== root) el.remove();
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) el.removeAttribute(attr.name);
      else if (URL_ATTRIBUTES.has(name) && !safeUrl(attr.value)) el.removeAttribute(attr.name);
      else if (name === 'style' && /url\s*\(|@import|expression\s*\(/i.test(attr.value)) {
        el.setAttribute(attr.name, cleanCss(attr.value));
      }
    }
    if (tag === 'style' && el.textContent && /url\s*\(|@import/i.test(el.textContent)) {
      el.textContent = cleanCss(el.textContent);
    }
  }
}

/** Sanitizes figure HTML on the page: parses it inertly, cleans it, returns the markup. */
export function sanitizeFigureHtml(html: string, doc: Document): string {
  // A <template> parses without running scripts or loading images.
  const template = doc.createElement('template');
  template.innerHTML = html;
  const wrapper = doc.createElement('div');
  wrapper.append(template.content);
  sanitizeTree(wrapper);
  return wrapper.innerHTML;
}
