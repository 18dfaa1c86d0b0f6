// Tiny DOM helpers: build elements without innerHTML, so no text is ever parsed as markup.

/** h('p', {class: 'x', id: 'y'}, 'text', child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Replaces an element's children, skipping the null/false of optional parts. */
export function put(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/** Copies text, with a fallback for webviews without the async clipboard. */
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

/** A modal <dialog> that resolves true on confirm, false otherwise. */
export function confirmDialog(title, text, confirmLabel) {
  return new Promise((resolve) => {
    const dlg = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'confirm-title', id: 'confirm-dialog' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', {}, text),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', id: 'confirm-no', onclick: () => dlg.close('no') }, 'Cancel'),
        h('button', { type: 'button', id: 'confirm-yes', class: 'danger', onclick: () => dlg.close('yes') }, confirmLabel),
      ),
    );
    dlg.addEventListener('close', () => {
      dlg.remove();
      resolve(dlg.returnValue === 'yes');
    });
    document.body.append(dlg);
    dlg.showModal();
    dlg.querySelector('#confirm-no').focus();
  });
}
