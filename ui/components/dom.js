// @ts-check
// Tiny DOM helpers: build elements without innerHTML, so no text is ever parsed as markup.

/**
 * An attribute's value: false, null and undefined leave it out, true sets it empty;
 * an `on…` attribute is an event listener.
 * @typedef {string|number|boolean|null|undefined|((event: any) => unknown)} AttrValue
 */

/**
 * A child: a node, or text; false, null and undefined are skipped. Arrays are flattened one level.
 * @typedef {Node|string|number|false|null|undefined} Child
 */

/**
 * h('p', {class: 'x', id: 'y'}, 'text', child)
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {...(Child|Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, /** @type {string} */ (v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/**
 * Replaces an element's children, skipping the null/false of optional parts.
 * @param {Element} el
 * @param {...(Node|string|false|null|undefined|(Node|string|false|null|undefined)[])} children
 */
export function put(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/**
 * Copies text, with a fallback for webviews without the async clipboard.
 * @param {string} text
 * @returns {Promise<boolean>} whether it was copied
 */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h('textarea', { 'aria-hidden': 'true', class: 'offscreen' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/**
 * A modal <dialog> that resolves true on confirm, false otherwise.
 * @param {string} title
 * @param {string} text
 * @param {string} confirmLabel
 * @param {string} [cancelLabel] the safe choice, which has the focus (Escape picks it too)
 * @returns {Promise<boolean>}
 */
export function confirmDialog(title, text, confirmLabel, cancelLabel = 'Cancel') {
  return new Promise((resolve) => {
    /** @type {HTMLDialogElement} */
    const dlg = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text', id: 'confirm-dialog' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', { id: 'confirm-text' }, text),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', id: 'confirm-no', onclick: () => dlg.close('no') }, cancelLabel),
        h('button', { type: 'button', id: 'confirm-yes', class: 'danger', onclick: () => dlg.close('yes') }, confirmLabel),
      ),
    );
    dlg.addEventListener('close', () => {
      dlg.remove();
      resolve(dlg.returnValue === 'yes');
    });
    document.body.append(dlg);
    dlg.showModal();
    /** @type {HTMLButtonElement} */ (dlg.querySelector('#confirm-no')).focus();
  });
}

/**
 * Text from the core that marks commands in Markdown style (`secret-tool`), as
 * nodes: the backticked parts become <code>, the rest plain text. Nothing is
 * parsed as markup, so untrusted text stays text.
 * @param {string|null|undefined} text
 * @returns {(HTMLElement|string)[]}
 */
export function codeSpans(text) {
  const parts = String(text ?? '').split('`');
  // An odd count of backticks leaves the last one unmatched: keep it as text.
  if (parts.length % 2 === 0) parts[parts.length - 2] += '`' + parts.pop();
  return parts.map((part, i) => (i % 2 === 1 ? h('code', {}, part) : part)).filter((p) => p !== '');
}

/** @type {WeakMap<HTMLElement, (e: KeyboardEvent) => void>} */
const escapeHandlers = new WeakMap();

/**
 * A form's title with its primary button and Back beside it, so that they stay above a
 * long form instead of below it (Enter in a field submits too). Buttons outside the
 * form reach it with the `form` attribute.
 * @param {string} title
 * @param {...(HTMLElement|null)} actions
 */
export function formBar(title, ...actions) {
  return h('div', { class: 'form-bar' }, h('h2', {}, title), h('div', { class: 'actions' }, ...actions));
}

/**
 * Escape anywhere in `root` presses the button `pick()` returns (a form's Back,
 * or Cancel while signing in), as it would on a dialog. Not while Escape is
 * clearing a search box, and not when that button is disabled or hidden.
 * @param {HTMLElement} root
 * @param {() => HTMLButtonElement|null|undefined} pick
 */
export function escapePresses(root, pick) {
  // One handler per root: a view re-renders into the same element, so the last form's wins.
  // A button of a form since replaced is disconnected, and then Escape does nothing.
  root.removeEventListener('keydown', /** @type {(e: KeyboardEvent) => void} */ (escapeHandlers.get(root)));
  /** @param {KeyboardEvent} e */
  const handler = (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    const target = /** @type {HTMLInputElement} */ (e.target);
    if (target.matches?.('input[type=search]') && target.value) return;
    const button = pick();
    if (!button || button.disabled || button.hidden || !button.isConnected) return;
    e.preventDefault();
    button.click();
  };
  escapeHandlers.set(root, handler);
  root.addEventListener('keydown', handler);
}
