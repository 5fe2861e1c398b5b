/** Creates an element with attributes and children (strings become text nodes, never HTML). */
export function el(tag: string, attrs: Record<string, string> = {}, children: (Node | string)[] = []): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** A toolbar button with a codicon and an accessible name. */
export function iconButton(icon: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { class: 'icon-btn', title: label, 'aria-label': label, type: 'button' }, [
    el('span', { class: `codicon codicon-${icon}`, 'aria-hidden': 'true' }),
  ]) as HTMLButtonElement;
  b.addEventListener('click', onClick);
  return b;
}
