// @ts-check
// One way to show an error {code, message, hint, fields?}: as text, or in a container.

import { openAdminConsent } from '../api.js';
import { codeSpans, copyText, h } from './dom.js';

/** @import {CommandError} from '../types.js' */

/**
 * "What happened. What to do." — the one text form of an error.
 * @param {CommandError} err
 */
export function errorText(err) {
  const message = /[.!?)]$/.test(err.message) ? err.message : `${err.message}.`;
  // Plain text has no <code>: the core's Markdown-style backticks would show as they are.
  return (err.hint ? `${message} ${err.hint}` : message).replaceAll('`', '');
}

/**
 * The message of the first field error, else the error text.
 * @param {CommandError} err
 */
export function fieldErrorText(err) {
  return err.fields?.[0]?.message ?? errorText(err);
}

/**
 * Shows an error in a container (role=alert): the message in bold, then the hint.
 * @param {HTMLElement} container
 * @param {CommandError} err
 * @param {(scopes: string[]) => void} [useScopes] where the scopes are typed in: a scope
 *   mismatch that knows the registration's scopes then offers them in one click
 */
export function showError(container, err, useScopes) {
  const message = /[.!?)]$/.test(err.message) ? err.message : `${err.message}.`;
  container.replaceChildren(h('strong', {}, codeSpans(message)), ' ', h('span', {}, codeSpans(err.hint || '')));
  if (err.link) container.append(linkRow(err.link));
  const registered = err.registered_scopes?.split(' ').filter(Boolean) ?? [];
  if (useScopes && registered.length)
    container.append(
      h(
        'p',
        {},
        h(
          'button',
          { type: 'button', id: 'use-registered-scopes', onclick: () => useScopes(registered) },
          `Use the registration’s ${registered.length === 1 ? 'scope' : `${registered.length} scopes`}`,
        ),
        ' ',
        h('code', {}, registered.join(' ')),
      ),
    );
  container.dataset.code = err.code;
  container.hidden = false;
  container.scrollIntoView({ block: 'center' });
}

/**
 * Clears one field's error: its message and the control's aria-invalid.
 * @param {ParentNode} root
 * @param {string} field
 */
function clearFieldError(root, field) {
  const p = root.querySelector(`#field-${CSS.escape(field)}-error`);
  if (p) p.textContent = '';
  root.querySelector(`#field-${CSS.escape(field)}`)?.removeAttribute('aria-invalid');
}

/**
 * A field's error goes as soon as the user edits that field, not at the next
 * submit. A plain control reports edits with `input`/`change`; a composite one
 * names its own event in data-value-event (the scope picker: its selection
 * changed, not its search box). Attached once per control.
 * @param {ParentNode} root
 * @param {string} field
 * @param {HTMLElement} control
 */
function clearOnEdit(root, field, control) {
  if ('clearsError' in control.dataset) return;
  control.dataset.clearsError = '';
  const events = control.dataset.valueEvent ? [control.dataset.valueEvent] : ['input', 'change'];
  for (const type of events) control.addEventListener(type, () => clearFieldError(root, field));
}

/**
 * Marks fields named in an error's `fields` list; focuses the first.
 * @param {ParentNode} root
 * @param {CommandError} err
 */
export function showFieldErrors(root, err) {
  for (const f of err.fields ?? []) {
    const p = root.querySelector(`#field-${CSS.escape(f.field)}-error`);
    if (p) p.textContent = f.message;
    const control = /** @type {HTMLElement|null} */ (root.querySelector(`#field-${CSS.escape(f.field)}`));
    if (!control) continue;
    control.setAttribute('aria-invalid', 'true');
    clearOnEdit(root, f.field, control);
  }
  // The first marked field takes the keyboard. A composite one (the scope picker, a group) is
  // not focusable itself: its first control is, or the focus would stay on a valid field.
  const first = /** @type {HTMLElement|null} */ (root.querySelector('[aria-invalid="true"]'));
  const focusable = 'input, select, textarea, button';
  /** @type {HTMLElement|null} */ (first?.matches(focusable) ? first : (first?.querySelector(focusable) ?? null))?.focus();
}

/**
 * Clears every field error under `root`.
 * @param {ParentNode} root
 */
export function clearFieldErrors(root) {
  for (const p of root.querySelectorAll('.field-error[id$="-error"]')) p.textContent = '';
  for (const i of root.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
}

/**
 * A link for someone else to open (a tenant's admin-consent page): shown in full, read-only,
 * with Copy link and Open, so a user can hand it to their admin instead of stopping here.
 * @param {string} link
 */
function linkRow(link) {
  const status = h('span', { id: 'error-link-status', role: 'status' });
  const field = h('input', { id: 'error-link', type: 'text', readonly: true, spellcheck: 'false', value: link });
  const say = (/** @type {string} */ text) => (status.textContent = text);
  return h(
    'div',
    { class: 'error-link' },
    h('label', { for: 'error-link' }, 'Link for your admin'),
    field,
    h(
      'div',
      { class: 'error-link-actions' },
      h(
        'button',
        {
          type: 'button',
          id: 'error-link-copy',
          onclick: async () => say((await copyText(link)) ? 'Copied.' : 'Select the link and copy it.'),
        },
        'Copy link',
      ),
      h(
        'button',
        {
          type: 'button',
          id: 'error-link-open',
          onclick: () =>
            openAdminConsent(link).then(
              () => say('Opened in your browser.'),
              (e) => say(errorText(e)),
            ),
        },
        'Open',
      ),
      status,
    ),
  );
}
