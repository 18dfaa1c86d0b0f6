// One way to show an error {code, message, hint, fields?}: as text, or in a container.

import { h } from './dom.js';

/** "What happened. What to do." — the one text form of an error. */
export function errorText(err) {
  const message = /[.!?)]$/.test(err.message) ? err.message : `${err.message}.`;
  return err.hint ? `${message} ${err.hint}` : message;
}

/** The message of the first field error, else the error text. */
export function fieldErrorText(err) {
  return err.fields?.[0]?.message ?? errorText(err);
}

/** Shows an error in a container (role=alert): the message in bold, then the hint. */
export function showError(container, err) {
  container.replaceChildren(h('strong', {}, err.message), ' ', h('span', {}, err.hint || ''));
  container.dataset.code = err.code;
  container.hidden = false;
  container.scrollIntoView({ block: 'center' });
}

/** Marks fields named in an error's `fields` list; focuses the first. */
export function showFieldErrors(root, err) {
  for (const f of err.fields ?? []) {
    const p = root.querySelector(`#field-${f.field}-error`);
    if (p) p.textContent = f.message;
    root.querySelector(`#field-${f.field}`)?.setAttribute('aria-invalid', 'true');
  }
  root.querySelector('[aria-invalid="true"]')?.focus();
}

export function clearFieldErrors(root) {
  for (const p of root.querySelectorAll('.field-error[id$="-error"]')) p.textContent = '';
  for (const i of root.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
}
